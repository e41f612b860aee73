import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { resolvedConfig } from "../../design/edit";
import { NodeFrame, Setting } from "./NodeFrame";
import type { FlowNode } from "./types";

/** A NixOS host: shows what it becomes in the flake and where it deploys. */
export const InstanceNode = memo(function InstanceNode({ data, selected }: NodeProps<FlowNode>) {
  const c = resolvedConfig(data.node);
  return (
    <NodeFrame data={data} selected={selected} source={false} className="border-2">
      <Setting name="host" value={String(c.id || "—")} />
      <Setting name="system" value={String(c.system)} />
      {c.targetHost ? <Setting name="deploy to" value={String(c.targetHost)} /> : null}
    </NodeFrame>
  );
});
