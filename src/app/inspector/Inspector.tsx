import { memo, useEffect, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { kindOf } from "../../core/catalog/registry";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import { describeNode } from "../design/edit";
import { useAppStore } from "../store";
import { defaultOf } from "../../core/catalog/check-config";
import { Field, type FieldMessage } from "./FieldInput";
import { text } from "../../core/catalog/fields";
import { MAX_LABEL } from "../../core/design/label";

/** The input id of a node's field, which the problems panel focuses. */
export const fieldInputId = (nodeId: string, field: string) => `field-${nodeId}-${field}`;

/** The input id of a node's label, which the canvas menu's Rename focuses. */
export const labelInputId = (nodeId: string) => `label-${nodeId}`;

const NO_PROBLEMS: readonly FieldMessage[] = [];

/** The node's label, drawn as a setting though it is none: the compiler never reads it. */
const LABEL_FIELD = text({ label: "Label", help: `Your name for this node, shown with its id on the canvas, in problems and in deployments; not part of the flake. At most ${MAX_LABEL} characters.`, placeholder: "Edge broker" });

/** The top-level setting a diagnostic's field path (`users[0].user`) belongs to. */
const topField = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? path;

const NodeInspector = memo(function NodeInspector({ node }: { node: DesignNode }) {
  const { updateField, setLabel, diagnostics, removeElements } = useAppStore(
    useShallow((s) => ({ updateField: s.updateField, setLabel: s.setLabel, diagnostics: s.analysis.diagnostics, removeElements: s.removeElements })),
  );
  const focus = useAppStore((s) => s.focus);
  const kind = kindOf(node.kind);
  const problems = useMemo(() => {
    const byField = new Map<string, FieldMessage[]>();
    const general: string[] = [];
    for (const d of diagnostics) {
      if (d.nodeId !== node.id) continue;
      if (!d.field) {
        general.push(d.message);
        continue;
      }
      const key = topField(d.field);
      byField.set(key, [...(byField.get(key) ?? []), { field: d.field, message: d.message }]);
    }
    return { byField, general };
  }, [diagnostics, node.id]);

  useEffect(() => {
    if (focus?.nodeId !== node.id || !focus.field) return;
    const el = document.getElementById(fieldInputId(node.id, topField(focus.field)));
    el?.scrollIntoView({ block: "center" });
    el?.focus();
  }, [focus, node.id]);

  if (!kind) return <p className="text-sm text-red-600">This node has the kind “{node.kind}”, which this Alchemist does not know.</p>;
  return (
    <div className="space-y-4">
      <div>
        <h3 className="font-semibold text-slate-800">{kind.label}</h3>
        {node.label && <p className="break-words font-medium text-slate-700">{node.label}</p>}
        <p className="font-mono text-[11px] text-slate-400">{node.id}</p>
        <p className="mt-1 text-xs text-slate-600">{kind.help}</p>
        {problems.general.map((m) => (
          <p key={m} role="alert" className="mt-1 text-xs font-medium text-red-600">
            {m}
          </p>
        ))}
      </div>
      <form aria-label={`${kind.label} settings`} className="space-y-3" onSubmit={(e) => e.preventDefault()}>
        <Field spec={LABEL_FIELD} id={labelInputId(node.id)} value={node.label ?? ""} onChange={(v) => setLabel(node.id, String(v))} path="label" problems={NO_PROBLEMS} />
        {Object.entries(kind.fields).map(([key, spec]) => (
          <Field
            key={key}
            spec={spec}
            id={fieldInputId(node.id, key)}
            value={node.config[key] ?? defaultOf(spec)}
            onChange={(v) => updateField(node.id, key, v)}
            path={key}
            problems={problems.byField.get(key) ?? NO_PROBLEMS}
          />
        ))}
      </form>
      <button type="button" className="text-xs text-red-600 hover:underline" onClick={() => removeElements([node.id], [])}>
        Remove this node
      </button>
    </div>
  );
});

/** A selected connection: what builds on what, its problems (a meaningless edge) and a way to remove it. */
const EdgeInspector = memo(function EdgeInspector({ edge }: { edge: DesignEdge }) {
  const { nodes, diagnostics, removeElements } = useAppStore(useShallow((s) => ({ nodes: s.nodes, diagnostics: s.analysis.diagnostics, removeElements: s.removeElements })));
  const name = (id: string) => {
    const n = nodes.find((x) => x.id === id);
    return n ? describeNode(n) : `node (${id})`;
  };
  return (
    <div className="space-y-2">
      <h3 className="font-semibold text-slate-800">Connection</h3>
      <p className="font-mono text-[11px] text-slate-400">{edge.id}</p>
      <p className="text-xs text-slate-600">
        {name(edge.target)} builds on {name(edge.source)}.
      </p>
      {diagnostics
        .filter((d) => d.edgeId === edge.id)
        .map((d) => (
          <p key={d.message} role="alert" className="text-xs font-medium text-red-600">
            {d.message}
          </p>
        ))}
      <button type="button" className="text-xs text-red-600 hover:underline" onClick={() => removeElements([], [edge.id])}>
        Remove this connection
      </button>
    </div>
  );
});

/** The selected node's settings, generated from its kind's field declarations; or the one selected connection. */
export const Inspector = memo(function Inspector() {
  const { node, edge, count } = useAppStore(
    useShallow((s) => ({
      node: s.selection.nodes.length === 1 ? s.nodes.find((n) => n.id === s.selection.nodes[0]) : undefined,
      edge: s.selection.nodes.length === 0 && s.selection.edges.length === 1 ? s.edges.find((e) => e.id === s.selection.edges[0]) : undefined,
      count: s.selection.nodes.length,
    })),
  );
  return (
    <aside aria-label="Side panel" className="h-full w-full overflow-y-auto border-l border-slate-200 bg-slate-50 p-4 text-sm">
      <h2 className="mb-3 text-xs font-semibold uppercase tracking-wide text-slate-400">Inspector</h2>
      {node ? (
        <NodeInspector key={node.id} node={node} />
      ) : edge ? (
        <EdgeInspector key={edge.id} edge={edge} />
      ) : (
        <p className="text-slate-600">{count > 1 ? `${count} nodes selected. Select one to edit its settings.` : "Select a node on the canvas to inspect it."}</p>
      )}
    </aside>
  );
});
