import { createContext, useContext } from "react";
import { Handle, Position } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import type { SummaryLine } from "../../../core/catalog/kind";
import type { FlowNodeData } from "./types";
import { GROUP_COLOR } from "../../palette/groups";
import { useNodeDeploy, type NodeDeploy } from "../useNodeDeploy";
import { plural } from "../../ui/text";
import { cardName } from "../../design/edit";


/** Whether the canvas shows cards only (zoomed out, Canvas.tsx DETAIL_ZOOM); given by the canvas. */
export const OverviewContext = createContext(false);

// Each line of the body is 16 px (h-4) with 2 px between lines (space-y-0.5), under the label and id
// and inside 6 px of padding (py-1.5): its height follows from the line count alone, so the
// cards-only body can keep the detailed body's height without rendering its text.
const LINE_PX = 16;
const GAP_PX = 2;
const PAD_PX = 6;
const bodyHeight = (lines: number) => 2 * PAD_PX + (lines + 1) * LINE_PX + lines * GAP_PX;

interface Props {
  readonly data: FlowNodeData;
  readonly selected: boolean;
  /** Instances collect what builds on them and feed nothing. */
  readonly source: boolean;
  readonly className?: string;
  readonly lines: readonly SummaryLine[];
}

function Badge({ errors, warnings }: { errors: number; warnings: number }) {
  if (errors > 0) {
    return <span className="rounded-full bg-red-600 px-1.5 text-[10px] font-semibold leading-4 text-white" aria-label={plural(errors, "error")}>{errors}</span>;
  }
  if (warnings > 0) {
    return <span className="rounded-full bg-amber-400 px-1.5 text-[10px] font-semibold leading-4 text-slate-900" aria-label={plural(warnings, "warning")}>{warnings}</span>;
  }
  return null;
}

const DEPLOY_LOOK: Record<NonNullable<NodeDeploy["state"]>, { ring: string; chip: string }> = {
  pending: { ring: "", chip: "bg-slate-200 text-slate-700" },
  deploying: { ring: "outline outline-2 outline-sky-500 animate-pulse", chip: "bg-sky-700 text-white" },
  active: { ring: "outline outline-2 outline-emerald-500", chip: "bg-emerald-700 text-white" },
  failed: { ring: "outline outline-2 outline-red-600", chip: "bg-red-600 text-white" },
  "not-run": { ring: "", chip: "bg-slate-100 text-slate-500" },
};

/** The node's state in its instance's latest deployment, and whether it differs from the last one deployed. */
function DeployMarks({ deploy }: { deploy: NodeDeploy }) {
  return (
    <>
      {deploy.undeployed && (
        <span className="h-2.5 w-2.5 rounded-full bg-sky-500" role="img" aria-label={`Undeployed change (${deploy.undeployed})`} title={`Not deployed yet: ${deploy.undeployed} since the last successful deployment`} />
      )}
      {deploy.state && <span className={`rounded px-1 text-[10px] leading-4 ${DEPLOY_LOOK[deploy.state].chip}`}>{deploy.state === "not-run" ? "not run" : deploy.state}</span>}
    </>
  );
}

/**
 * The card every node kind shares: handles, kind, label, id and diagnostic badge around its summary.
 * Zoomed out, where no text could be read, the body is an empty block of the same height: a
 * 1 000-node design then opens with a fraction of the elements, and nothing is measured anew
 * when the detail comes back.
 */
export function NodeFrame({ data, selected, source, className = "", lines }: Props) {
  const kind = kindOf(data.node.kind);
  const ring = data.errors > 0 ? "border-red-500" : data.warnings > 0 ? "border-amber-400" : "border-slate-300";
  const deploy = useNodeDeploy(data.node.id);
  const overview = useContext(OverviewContext);
  return (
    <div
      className={`w-56 rounded-lg border bg-white text-xs shadow-sm ${ring} ${deploy.state ? DEPLOY_LOOK[deploy.state].ring : ""} ${selected ? "ring-2 ring-violet-500" : ""} ${data.dimmed ? "node-dimmed" : ""} ${className}`}
      aria-label={cardName(data.node)}
      data-dimmed={data.dimmed || undefined}
      data-hidden-members={data.hiddenMembers}
      data-deploy-state={deploy.state}
      data-undeployed={deploy.undeployed}
    >
      <Handle type="target" position={Position.Left} className="!h-3 !w-3 !bg-slate-500" />
      <div className={`flex items-center gap-2 rounded-t-lg border-b border-slate-100 px-2 py-1.5 ${GROUP_COLOR[kind?.group ?? "Imports"]}`}>
        <span className="node-detail flex-1 truncate font-semibold text-slate-800">{kind?.label ?? `Unknown kind ${data.node.kind}`}</span>
        <DeployMarks deploy={deploy} />
        <Badge errors={data.errors} warnings={data.warnings} />
      </div>
      {overview ? (
        <div style={{ height: bodyHeight(lines.length) }} />
      ) : (
        <div className="space-y-0.5 px-2 py-1.5 text-slate-600">
          <div className="flex h-4 items-baseline gap-1 leading-4" title={data.node.label}>
            {data.node.label && <span className="min-w-0 truncate font-medium text-slate-800">{data.node.label}</span>}
            <span className={`truncate font-mono text-[10px] text-slate-400 ${data.node.label ? "shrink-0 max-w-[45%]" : ""}`}>{data.node.id}</span>
          </div>
          {lines.map((line, i) =>
            "note" in line ? (
              <div key={i} className="h-4 truncate leading-4 text-slate-400">{line.note}</div>
            ) : (
              <div key={i} className="flex h-4 gap-1 truncate leading-4">
                <span className="text-slate-400">{line.name}</span>
                <span className="truncate font-medium text-slate-700">{line.value}</span>
              </div>
            ),
          )}
        </div>
      )}
      {source && <Handle type="source" position={Position.Right} className="!h-3 !w-3 !bg-violet-500" />}
    </div>
  );
}
