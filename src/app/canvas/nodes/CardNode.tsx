import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { kindOf } from "../../../core/catalog/registry";
import { cardSummary } from "../../../core/catalog/summary";
import { NodeFrame } from "./NodeFrame";
import { plural } from "../../ui/text";
import type { FlowNode } from "./types";

/** A node's card; an instance is a whole host, so it collects what builds on it and feeds nothing. */
export const CardNode = memo(function CardNode({ data, selected }: NodeProps<FlowNode>) {
  const host = kindOf(data.node.kind)?.role === "instance";
  const summary = cardSummary(data.node);
  // A collapsed instance says what it holds out of sight (its menu expands it again).
  const lines = data.hiddenMembers === undefined ? summary : [...summary, { note: `${plural(data.hiddenMembers, "member")} hidden` }];
  return <NodeFrame data={data} selected={selected} source={!host} {...(host ? { className: "border-2" } : {})} lines={lines} />;
});
