import { useCallback } from "react";
import { useReactFlow } from "@xyflow/react";
import type { Position } from "../../core/design/types";
import { useAppStore } from "../store";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type Size = Pick<Box, "width" | "height">;

/** Room kept between a new node and its neighbours, so edges and handles stay clear. */
export const GAP = 32;
// Beyond this many rings around the wanted spot, the design is so crowded that any spot will do.
const MAX_RINGS = 60;

const clear = (at: Position, size: Size, taken: readonly Box[]) =>
  taken.every((b) => at.x + size.width + GAP <= b.x || b.x + b.width + GAP <= at.x || at.y + size.height + GAP <= b.y || b.y + b.height + GAP <= at.y);

/**
 * Where a new node of `size` goes: at `wanted` if it covers no node there (with a gap), else
 * at the nearest spot around it that covers none, searched ring by ring on a grid of half a
 * node. Pure, so the rule is tested without a canvas.
 */
export function freeSpot(wanted: Position, size: Size, taken: readonly Box[]): Position {
  const step = { x: (size.width + GAP) / 2, y: (size.height + GAP) / 2 };
  for (let ring = 0; ring <= MAX_RINGS; ring++) {
    const candidates: Position[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) candidates.push({ x: wanted.x + i * step.x, y: wanted.y + j * step.y });
      }
    }
    // Nearest first; on a tie the order above (left to right, top to bottom) decides.
    candidates.sort((a, b) => Math.hypot(a.x - wanted.x, a.y - wanted.y) - Math.hypot(b.x - wanted.x, b.y - wanted.y));
    const free = candidates.find((c) => clear(c, size, taken));
    if (free) return free;
  }
  return wanted;
}

/**
 * Where a node added from the palette goes: beside the selected node (to its right) when one
 * is selected, else at the centre of the view; in either case on a free spot, never on top of
 * another node. Given `centre` (the canvas menu's "Add a node here"), as near it as is free.
 * Sizes are React Flow's measurements; a new card is taken to be as tall as the tallest one on
 * the canvas.
 */
export function useNewNodeSpot(): (centre?: Position) => Position {
  const flow = useReactFlow();
  return useCallback((centre?: Position) => {
    const { nodes, selection, viewCenter } = useAppStore.getState();
    const taken: Box[] = nodes.map((n) => {
      const m = flow.getInternalNode(n.id)?.measured;
      return { ...n.position, width: m?.width ?? UNMEASURED_NODE_SIZE.width, height: m?.height ?? UNMEASURED_NODE_SIZE.height };
    });
    const size = { width: UNMEASURED_NODE_SIZE.width, height: Math.max(UNMEASURED_NODE_SIZE.height, ...taken.map((b) => b.height)) };
    const at = selection.nodes.length === 1 ? nodes.findIndex((n) => n.id === selection.nodes[0]) : -1;
    const beside = centre ? undefined : taken[at];
    const middle = centre ?? viewCenter;
    const wanted = beside ? { x: beside.x + beside.width + GAP, y: beside.y } : { x: middle.x - size.width / 2, y: middle.y - size.height / 2 };
    return freeSpot(wanted, size, taken);
  }, [flow]);
}
