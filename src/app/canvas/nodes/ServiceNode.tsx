import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import type { DesignNode } from "../../../core/design/types";
import { resolvedConfig } from "../../design/edit";
import { NodeFrame, type SummaryLine } from "./NodeFrame";
import type { FlowNode } from "./types";

/** Its ports: what a person checks first (and what clashes). */
export function serviceSummary(node: DesignNode): SummaryLine[] {
  const ports = kindOf(node.kind)?.ports?.(resolvedConfig(node)) ?? [];
  return ports.length === 0 ? [{ note: "no ports" }] : ports.map((p) => ({ name: p.label, value: String(p.port) }));
}

/** Something that runs. */
export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps<FlowNode>) {
  return <NodeFrame data={data} selected={selected} source lines={serviceSummary(data.node)} />;
});
