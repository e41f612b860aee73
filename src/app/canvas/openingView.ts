import { getViewportForBounds, type Viewport } from "@xyflow/react";
import type { Position } from "../../core/design/types";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2;
/** fitView's own default margin, so the opening view and a later fit agree. */
const FIT_PADDING = 0.1;

/**
 * The view that shows the whole design, worked out before the first render from the nodes'
 * positions and the size of an unmeasured card. Opening at zoom 1 and fitting once the nodes
 * are measured would draw a large design twice, first in detail and then as an overview
 * (Canvas.tsx, DETAIL_ZOOM); React Flow's fitView still corrects the estimate afterwards.
 */
export function openingViewport(positions: readonly Position[], pane: { width: number; height: number }): Viewport {
  if (positions.length === 0 || pane.width <= 0 || pane.height <= 0) return { x: 0, y: 0, zoom: 1 };
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + UNMEASURED_NODE_SIZE.width);
    bottom = Math.max(bottom, p.y + UNMEASURED_NODE_SIZE.height);
  }
  return getViewportForBounds({ x: left, y: top, width: right - left, height: bottom - top }, pane.width, pane.height, MIN_ZOOM, MAX_ZOOM, FIT_PADDING);
}
