import type { Node } from "@xyflow/react";
import type { DesignNode } from "../../../core/design/types";

/** What a canvas node carries: its design node and the counts for its diagnostic badge. */
export type FlowNodeData = {
  readonly node: DesignNode;
  readonly errors: number;
  readonly warnings: number;
  /** An instance is selected and this node is not one of its members (canvas/instances/glance). */
  readonly dimmed?: boolean;
  /** For a collapsed instance: how many of its members the canvas hides. */
  readonly hiddenMembers?: number | undefined;
};

export type FlowNode = Node<FlowNodeData>;

/** A node card's size before React Flow has measured it (the cards are w-56; height varies a little by kind). */
export const UNMEASURED_NODE_SIZE = { width: 224, height: 90 } as const;
