import type { Node } from "@xyflow/react";
import type { DesignNode } from "../../../core/design/types";

/** What a canvas node carries: its design node and the counts for its diagnostic badge. */
export type FlowNodeData = {
  readonly node: DesignNode;
  readonly errors: number;
  readonly warnings: number;
};

export type FlowNode = Node<FlowNodeData>;

/** A node card's size before React Flow has measured it (the cards are w-56; height varies a little by kind). */
export const UNMEASURED_NODE_SIZE = { width: 224, height: 90 } as const;
