import { memo, type ReactNode } from "react";
import { Handle, Position } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import type { FlowNodeData } from "./types";
import { GROUP_COLOR } from "../../palette/groups";
import { useNodeDeploy, type NodeDeploy } from "../../deploy/canvasState";

interface Props {
  readonly data: FlowNodeData;
  readonly selected: boolean;
  /** Instances collect what builds on them and feed nothing. */
  readonly source: boolean;
  readonly className?: string;
  readonly children: ReactNode;
}

function Badge({ errors, warnings }: { errors: number; warnings: number }) {
  if (errors > 0) {
    return <span className="rounded-full bg-red-600 px-1.5 text-[10px] font-semibold leading-4 text-white" aria-label={`${errors} ${errors === 1 ? "error" : "errors"}`}>{errors}</span>;
  }
  if (warnings > 0) {
    return <span className="rounded-full bg-amber-400 px-1.5 text-[10px] font-semibold leading-4 text-slate-900" aria-label={`${warnings} ${warnings === 1 ? "warning" : "warnings"}`}>{warnings}</span>;
  }
  return null;
}

const DEPLOY_LOOK: Record<NonNullable<NodeDeploy["state"]>, { ring: string; chip: string }> = {
  pending: { ring: "", chip: "bg-slate-200 text-slate-700" },
  deploying: { ring: "outline outline-2 outline-sky-500 animate-pulse", chip: "bg-sky-600 text-white" },
  active: { ring: "outline outline-2 outline-emerald-500", chip: "bg-emerald-600 text-white" },
  failed: { ring: "outline outline-2 outline-red-600", chip: "bg-red-600 text-white" },
};

/** The node's state in its instance's latest deployment, and whether it differs from the last one deployed. */
function DeployMarks({ deploy }: { deploy: NodeDeploy }) {
  return (
    <>
      {deploy.undeployed && (
        <span className="h-2.5 w-2.5 rounded-full bg-sky-500" role="img" aria-label={`Undeployed change (${deploy.undeployed})`} title={`Not deployed yet: ${deploy.undeployed} since the last successful deployment`} />
      )}
      {deploy.state && <span className={`rounded px-1 text-[10px] leading-4 ${DEPLOY_LOOK[deploy.state].chip}`}>{deploy.state}</span>}
    </>
  );
}

/** The card every node kind shares: handles, label, id and diagnostic badge around its summary. */
export const NodeFrame = memo(function NodeFrame({ data, selected, source, className = "", children }: Props) {
  const kind = kindOf(data.node.kind);
  const ring = data.errors > 0 ? "border-red-500" : data.warnings > 0 ? "border-amber-400" : "border-slate-300";
  const deploy = useNodeDeploy(data.node.id);
  return (
    <div
      className={`w-56 rounded-lg border bg-white text-xs shadow-sm ${ring} ${deploy.state ? DEPLOY_LOOK[deploy.state].ring : ""} ${selected ? "ring-2 ring-violet-500" : ""} ${className}`}
      aria-label={`${kind?.label ?? data.node.kind} ${data.node.id}`}
      data-deploy-state={deploy.state}
      data-undeployed={deploy.undeployed}
    >
      <Handle type="target" position={Position.Left} className="!h-3 !w-3 !bg-slate-500" />
      <div className={`flex items-center gap-2 rounded-t-lg border-b border-slate-100 px-2 py-1.5 ${GROUP_COLOR[kind?.group ?? "Imports"]}`}>
        <span className="node-detail flex-1 truncate font-semibold text-slate-800">{kind?.label ?? `Unknown kind ${data.node.kind}`}</span>
        <DeployMarks deploy={deploy} />
        <Badge errors={data.errors} warnings={data.warnings} />
      </div>
      <div className="node-detail space-y-0.5 px-2 py-1.5 text-slate-600">
        <div className="truncate font-mono text-[10px] text-slate-400">{data.node.id}</div>
        {children}
      </div>
      {source && <Handle type="source" position={Position.Right} className="!h-3 !w-3 !bg-violet-500" />}
    </div>
  );
});

/** One `name value` line of a node's summary. */
export function Setting({ name, value }: { name: string; value: string }) {
  return (
    <div className="flex gap-1 truncate">
      <span className="text-slate-400">{name}</span>
      <span className="truncate font-medium text-slate-700">{value}</span>
    </div>
  );
}
