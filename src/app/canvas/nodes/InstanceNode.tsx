import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import type { DesignNode } from "../../../core/design/types";
import { resolvedConfig } from "../../design/edit";
import { NodeFrame, type SummaryLine } from "./NodeFrame";
import type { FlowNode } from "./types";

/** What it becomes in the flake and where it deploys. */
export function instanceSummary(node: DesignNode): SummaryLine[] {
  const c = resolvedConfig(node);
  return [{ name: "host", value: String(c.id || "—") }, { name: "system", value: String(c.system) }, ...(c.targetHost ? [{ name: "deploy to", value: String(c.targetHost) }] : [])];
}

/** A NixOS host: collects what builds on it and feeds nothing. */
export const InstanceNode = memo(function InstanceNode({ data, selected }: NodeProps<FlowNode>) {
  return <NodeFrame data={data} selected={selected} source={false} className="border-2" lines={instanceSummary(data.node)} />;
});
