import { kindOf } from "../../core/catalog/registry";
import type { NodeDifference, Side } from "../../core/design/merge";
import type { DesignNode } from "../../core/design/types";

/** One side of a node, in words: its kind, the settings changed from their defaults, what it builds on. */
function NodeSide({ node, sources, moved }: { node: DesignNode | null; sources: readonly string[]; moved: boolean }) {
  if (!node) return <p className="italic text-slate-500">not in this version</p>;
  const settings = Object.entries(node.config);
  return (
    <div className="space-y-0.5">
      <p className="text-slate-500">{kindOf(node.kind)?.label ?? node.kind}</p>
      {settings.length === 0 ? (
        <p className="text-slate-500">all settings at their defaults</p>
      ) : (
        <ul>
          {settings.map(([key, value]) => (
            <li key={key} className="break-all font-mono text-[11px]">
              {key}: {typeof value === "string" ? value : JSON.stringify(value)}
            </li>
          ))}
        </ul>
      )}
      <p>{sources.length === 0 ? "builds on nothing" : `builds on ${sources.join(", ")}`}</p>
      {moved && (
        <p className="text-slate-500">
          at {Math.round(node.position.x)}, {Math.round(node.position.y)} on the canvas
        </p>
      )}
    </div>
  );
}

const CHANGED_BY: Record<NodeDifference["changedBy"], (left: string, right: string) => string> = {
  mine: (left) => `changed in ${left} only`,
  theirs: (_, right) => `changed in ${right} only`,
  both: () => "differs",
};

/**
 * Two versions of a design side by side, node by node: the merge dialog (with a choice per node)
 * and the versions dialog (read only) show their differences the same way. `left` is "mine".
 */
export function Differences({
  differences,
  left,
  right,
  choices,
  onChoose,
}: {
  differences: readonly NodeDifference[];
  left: string;
  right: string;
  choices?: Readonly<Record<string, Side>>;
  onChoose?: (id: string, side: Side) => void;
}) {
  if (differences.length === 0) return <p className="text-sm text-slate-500">No node differs.</p>;
  return (
    <table aria-label={`Differences between ${left} and ${right}`} className="w-full table-fixed text-left text-xs">
      <thead>
        <tr className="text-slate-500">
          <th className="w-32 py-1 font-medium">Node</th>
          <th className="py-1 font-medium">{left}</th>
          <th className="py-1 font-medium">{right}</th>
        </tr>
      </thead>
      <tbody>
        {differences.map((d) => (
          <tr key={d.id} aria-label={`Node ${d.id}`} className="border-t border-slate-100 align-top">
            <td className="py-1 pr-2">
              <p className="break-all font-mono">{d.id}</p>
              <p className="text-slate-500">{d.movedOnly ? "moved only" : CHANGED_BY[d.changedBy](left, right)}</p>
              {choices && onChoose && (
                <div role="radiogroup" aria-label={`Version of ${d.id}`} className="mt-1 space-y-0.5">
                  {(["mine", "theirs"] as const).map((side) => (
                    <label key={side} className="flex items-center gap-1">
                      <input type="radio" name={`take-${d.id}`} checked={choices[d.id] === side} onChange={() => onChoose(d.id, side)} />
                      {side === "mine" ? left : right}
                    </label>
                  ))}
                </div>
              )}
            </td>
            {(["mine", "theirs"] as const).map((side) => (
              <td key={side} className={`py-1 pr-2 ${choices?.[d.id] === side ? "bg-violet-50" : ""}`}>
                <NodeSide node={d[side]} sources={side === "mine" ? d.mineSources : d.theirsSources} moved={d.movedOnly} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
