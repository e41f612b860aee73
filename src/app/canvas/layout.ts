import type { Position } from "../../core/design/types";

export interface Box {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Positions for a left-to-right layered layout (dagre), in the order data flows: what a node
 * builds on sits to its left. dagre is loaded on first use, not with the app.
 */
export async function layeredLayout(boxes: readonly Box[], edges: readonly { source: string; target: string }[]): Promise<Map<string, Position>> {
  const { Graph, layout } = await import("@dagrejs/dagre");
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  for (const e of edges) g.setEdge(e.source, e.target);
  layout(g);
  return new Map(boxes.map((b) => {
    const { x, y } = g.node(b.id);
    return [b.id, { x: Math.round(x - b.width / 2), y: Math.round(y - b.height / 2) }];
  }));
}
