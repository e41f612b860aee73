import type { ReactFlowInstance } from "@xyflow/react";
import type { Position } from "../../core/design/types";
import { useAppStore } from "../store";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

interface Box {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Positions for a left-to-right layered layout (dagre), in the order data flows: what a node
 * builds on sits to its left. dagre is loaded on first use, not with the app.
 */
async function layeredLayout(boxes: readonly Box[], edges: readonly { source: string; target: string }[]): Promise<Map<string, Position>> {
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

/**
 * Lays out the nodes `ids` among themselves, or every node, as one undo step, each at its drawn
 * size. A part keeps its top-left corner, so it stays among the nodes around it.
 */
export async function layOut(flow: Pick<ReactFlowInstance, "getInternalNode">, ids?: ReadonlySet<string>): Promise<ReadonlyMap<string, Position>> {
  const s = useAppStore.getState();
  const nodes = ids ? s.nodes.filter((n) => ids.has(n.id)) : s.nodes;
  const edges = ids ? s.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) : s.edges;
  const boxes = nodes.map((n) => {
    const measured = flow.getInternalNode(n.id)?.measured;
    return { id: n.id, width: measured?.width ?? UNMEASURED_NODE_SIZE.width, height: measured?.height ?? UNMEASURED_NODE_SIZE.height };
  });
  const laid = await layeredLayout(boxes, edges);
  if (ids) {
    const corner = (ps: readonly Position[]) => ({ x: Math.min(...ps.map((p) => p.x)), y: Math.min(...ps.map((p) => p.y)) });
    const from = corner([...laid.values()]);
    const to = corner(nodes.map((n) => n.position));
    for (const [id, p] of laid) laid.set(id, { x: p.x - from.x + to.x, y: p.y - from.y + to.y });
  }
  useAppStore.getState().moveNodes(laid);
  return laid;
}

/**
 * Resolves once React Flow has the positions `laid` gave (or after a second's frames): the
 * store's new positions reach it a render or more later — several frames on a busy machine —
 * and a fit before then frames where the nodes were, leaving some out of view.
 */
export function whenPlaced(flow: Pick<ReactFlowInstance, "getInternalNode">, laid: ReadonlyMap<string, Position>): Promise<void> {
  const placed = () =>
    [...laid].every(([id, p]) => {
      const at = flow.getInternalNode(id)?.position;
      // A node not drawn (in a collapsed instance) has no place to wait for.
      return at === undefined || (at.x === p.x && at.y === p.y);
    });
  return new Promise((resolve) => {
    let frames = 0;
    const check = () => (placed() || ++frames > 60 ? resolve() : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
}
