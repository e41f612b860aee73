import { getViewportForBounds, type Viewport } from "@xyflow/react";
import type { Position } from "../../core/design/types";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2;
/** fitView's own default margin, so the opening view and a later fit agree. */
const FIT_PADDING = 0.1;
/**
 * The smallest text on a card (its node id and badges, nodes/NodeFrame.tsx) and the least a
 * person reads on screen: below this zoom the opening view would show cards nobody can read.
 */
const SMALLEST_CARD_TEXT_PX = 10;
const READABLE_TEXT_PX = 10;
export const READABLE_ZOOM = READABLE_TEXT_PX / SMALLEST_CARD_TEXT_PX;
/** Room kept on screen around the card a view is anchored on, in screen pixels. */
const ANCHOR_MARGIN_PX = 24;

type Box = { x: number; y: number; width: number; height: number };
type Pane = { width: number; height: number };

export interface OpeningView {
  /** The first view, before any card is measured. */
  readonly viewport: Viewport;
  /** What React Flow fits once the cards are measured, correcting the estimate; none when the view is anchored on a card. */
  readonly fit?: { padding: number; minZoom: number; maxZoom: number; nodes?: { id: string }[] };
}

function bounds(positions: readonly Position[]): Box {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + UNMEASURED_NODE_SIZE.width);
    bottom = Math.max(bottom, p.y + UNMEASURED_NODE_SIZE.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

const fitted = (box: Box, pane: Pane) => getViewportForBounds(box, pane.width, pane.height, MIN_ZOOM, MAX_ZOOM, FIT_PADDING);

/** On one axis: the centre nearest `wanted` that keeps [start, start + size] on screen, `margin` inside its edges. */
function keepInView(wanted: number, start: number, size: number, visible: number, margin: number): number {
  const low = start + size + margin - visible / 2;
  const high = start - margin + visible / 2;
  return low > high ? start + size / 2 : Math.min(high, Math.max(low, wanted));
}

/**
 * The view a design opens on, worked out before the first render from the nodes' positions and
 * the size of an unmeasured card (opening at zoom 1 and fitting once the nodes are measured
 * would draw a large design twice). The whole design when its cards can be read so; else the
 * instance in focus (`focus`: its node and members) whole; else, at the least readable zoom,
 * as much of that instance as the pane holds around its node, which stays on screen. A design
 * with no instance is treated as one, anchored on its first node.
 */
export function openingView(nodes: readonly { id: string; position: Position }[], focus: { nodeId: string; members: readonly string[] } | undefined, pane: Pane): OpeningView {
  if (nodes.length === 0 || pane.width <= 0 || pane.height <= 0) return { viewport: { x: 0, y: 0, zoom: 1 } };
  const readable = { padding: FIT_PADDING, minZoom: READABLE_ZOOM, maxZoom: MAX_ZOOM };
  const whole = fitted(bounds(nodes.map((n) => n.position)), pane);
  if (whole.zoom >= READABLE_ZOOM) return { viewport: whole, fit: readable };
  const members = new Set(focus?.members);
  const group = focus ? nodes.filter((n) => members.has(n.id) || n.id === focus.nodeId) : nodes;
  const box = bounds(group.map((n) => n.position));
  const around = fitted(box, pane);
  if (focus && around.zoom >= READABLE_ZOOM) return { viewport: around, fit: { ...readable, nodes: group.map(({ id }) => ({ id })) } };
  const anchor = (focus && nodes.find((n) => n.id === focus.nodeId)) || nodes[0]!;
  const zoom = READABLE_ZOOM;
  const margin = ANCHOR_MARGIN_PX / zoom;
  const cx = keepInView(box.x + box.width / 2, anchor.position.x, UNMEASURED_NODE_SIZE.width, pane.width / zoom, margin);
  const cy = keepInView(box.y + box.height / 2, anchor.position.y, UNMEASURED_NODE_SIZE.height, pane.height / zoom, margin);
  return { viewport: { x: pane.width / 2 - cx * zoom, y: pane.height / 2 - cy * zoom, zoom } };
}
