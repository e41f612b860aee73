import type { Node } from "@xyflow/react";
import type { DesignNode } from "../../../core/design/types";

/** What a canvas node carries: its design node and the counts for its diagnostic badge. */
export type FlowNodeData = {
  readonly node: DesignNode;
  readonly errors: number;
  readonly warnings: number;
};

export type FlowNode = Node<FlowNodeData>;
