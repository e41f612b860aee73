import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { DesignNode } from "../../core/design/types";
import { kindOf } from "../../core/catalog/registry";
import { nodeName } from "../../core/design/label";
import type { Diagnostic } from "../../core/validate/diagnostic";
import { useAppStore } from "../store";
import { reveal } from "../canvas/instances/reveal";

const where = (d: Diagnostic, node: DesignNode | undefined) =>
  [d.nodeId ? `${(node && kindOf(node.kind)?.label) ?? "node"} ${node ? nodeName(node) : d.nodeId}` : null, d.edgeId ? `connection ${d.edgeId}` : null, d.field ?? (d.path && !d.nodeId ? d.path : null)].filter(Boolean).join(" · ");

/** Every diagnostic of the design; a click selects and centres its node and focuses its input, or selects its edge. */
export const Problems = memo(function Problems() {
  const { diagnostics, nodes, edges, focusNode, select } = useAppStore(
    useShallow((s) => ({ diagnostics: s.analysis.diagnostics, nodes: s.nodes, edges: s.edges, focusNode: s.focusNode, select: s.select })),
  );
  if (diagnostics.length === 0) return <p className="p-3 text-sm text-emerald-700">No problems: the design compiles.</p>;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edgeIds = new Set(edges.map((e) => e.id));
  const open = (d: Diagnostic) => {
    const edge = d.edgeId ? edges.find((e) => e.id === d.edgeId) : undefined;
    reveal(...(d.nodeId ? [d.nodeId] : edge ? [edge.source, edge.target] : []));
    if (d.nodeId) focusNode(d.nodeId, d.field);
    else if (d.edgeId) select({ nodes: [], edges: [d.edgeId] });
  };
  return (
    <ul aria-label="Problems" className="divide-y divide-slate-100 text-sm">
      {diagnostics.map((d, i) => (
        <li key={`${d.code}${d.nodeId}${d.field}${i}`}>
          <button
            type="button"
            disabled={d.nodeId ? !byId.has(d.nodeId) : !(d.edgeId && edgeIds.has(d.edgeId))}
            onClick={() => open(d)}
            className="flex w-full items-start gap-2 px-3 py-1.5 text-left hover:bg-violet-50 disabled:cursor-default disabled:hover:bg-transparent"
          >
            <span className={`mt-0.5 rounded px-1 text-[10px] font-semibold uppercase ${d.severity === "error" ? "bg-red-100 text-red-700" : "bg-amber-100 text-amber-800"}`}>
              {d.severity}
            </span>
            <span className="flex-1">
              <span className="text-slate-800">{d.message}</span>
              <span className="ml-2 text-xs text-slate-400">{where(d, d.nodeId ? byId.get(d.nodeId) : undefined)}</span>
            </span>
            <span className="font-mono text-[10px] text-slate-400">{d.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
});
