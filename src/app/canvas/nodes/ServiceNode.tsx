import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import { resolvedConfig } from "../../design/edit";
import { NodeFrame, Setting } from "./NodeFrame";
import type { FlowNode } from "./types";

/** Something that runs: its ports are what a person checks first (and what clashes). */
export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps<FlowNode>) {
  const ports = kindOf(data.node.kind)?.ports?.(resolvedConfig(data.node)) ?? [];
  return (
    <NodeFrame data={data} selected={selected} source>
      {ports.length === 0 ? <div className="text-slate-400">no ports</div> : ports.map((p) => <Setting key={`${p.label}${p.port}`} name={p.label} value={String(p.port)} />)}
    </NodeFrame>
  );
});
