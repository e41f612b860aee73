import { describe, expect, it } from "vitest";
import { MIN_ZOOM, openingViewport } from "./openingView";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

const pane = { width: 880, height: 524 };

/** Where a point of the flow lands on the pane under a viewport. */
const onPane = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y });

describe("the opening view", () => {
  it("shows every node's card whole, centred, as fitView would", () => {
    const positions = [{ x: -300, y: 40 }, { x: 500, y: -120 }, { x: 1400, y: 700 }];
    const v = openingViewport(positions, pane);
    for (const p of positions) {
      const a = onPane(v, p);
      const b = onPane(v, { x: p.x + UNMEASURED_NODE_SIZE.width, y: p.y + UNMEASURED_NODE_SIZE.height });
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(b.x).toBeLessThanOrEqual(pane.width);
      expect(b.y).toBeLessThanOrEqual(pane.height);
    }
    // The design's horizontal extent fills the pane but for the 10 % margin.
    const left = onPane(v, { x: -300, y: 0 }).x;
    const right = onPane(v, { x: 1400 + UNMEASURED_NODE_SIZE.width, y: 0 }).x;
    expect(right - left).toBeCloseTo(pane.width / 1.1, 0);
    expect(Math.abs(left - (pane.width - right))).toBeLessThan(3);
  });

  it("opens a large design already zoomed out, a single node at most at twice its size, nothing at 1:1", () => {
    const grid = Array.from({ length: 1000 }, (_, i) => ({ x: (i % 40) * 260, y: Math.floor(i / 40) * 120 }));
    expect(openingViewport(grid, pane).zoom).toBeLessThan(0.25);
    expect(openingViewport([{ x: 0, y: 0 }], pane).zoom).toBe(2);
    expect(openingViewport([{ x: 0, y: 0 }, { x: 1e7, y: 0 }], pane).zoom).toBe(MIN_ZOOM);
    expect(openingViewport([], pane)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport(grid, { width: 0, height: 0 })).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
