import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import type { DesignNode } from "../../../core/design/types";
import { NodeFrame, type SummaryLine } from "./NodeFrame";
import type { FlowNode } from "./types";

const SHOWN = 3;

const brief = (v: unknown): string => (Array.isArray(v) ? `${v.length} item${v.length === 1 ? "" : "s"}` : typeof v === "object" && v !== null ? `${Object.keys(v).length} set` : String(v));

/** The settings a person changed (the first three, then how many more). */
export function settingSummary(node: DesignNode): SummaryLine[] {
  const fields = kindOf(node.kind)?.fields ?? {};
  const changed = Object.entries(node.config).filter(([key]) => fields[key]);
  if (changed.length === 0) return [{ note: "defaults" }];
  const lines: SummaryLine[] = changed.slice(0, SHOWN).map(([key, value]) => ({ name: fields[key]!.label, value: brief(value) }));
  return changed.length > SHOWN ? [...lines, { note: `+${changed.length - SHOWN} more` }] : lines;
}

/** Shapes the host without running anything. */
export const SettingNode = memo(function SettingNode({ data, selected }: NodeProps<FlowNode>) {
  return <NodeFrame data={data} selected={selected} source lines={settingSummary(data.node)} />;
});
