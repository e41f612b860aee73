import { describe, expect, it } from "vitest";
import { freeSpot, GAP, type Box } from "./placement";

const size = { width: 200, height: 100 };
const covers = (at: { x: number; y: number }, b: Box) => at.x < b.x + b.width + GAP && b.x < at.x + size.width + GAP && at.y < b.y + b.height + GAP && b.y < at.y + size.height + GAP;

describe("where a new node goes", () => {
  it("where it was wanted, when nothing is there", () => {
    expect(freeSpot({ x: 10, y: 20 }, size, [{ x: 500, y: 500, width: 200, height: 100 }])).toEqual({ x: 10, y: 20 });
  });

  it("never on top of a node: the nearest free spot around the wanted one", () => {
    const taken: Box[] = [{ x: 0, y: 0, width: 200, height: 100 }];
    const at = freeSpot({ x: 0, y: 0 }, size, taken);
    expect(covers(at, taken[0]!)).toBe(false);
    expect(Math.hypot(at.x, at.y)).toBeLessThanOrEqual(size.width + GAP);
  });

  it("one after another at the same wanted spot, none covers another", () => {
    const taken: Box[] = [];
    for (let i = 0; i < 12; i++) {
      const at = freeSpot({ x: 0, y: 0 }, size, taken);
      for (const b of taken) expect(covers(at, b)).toBe(false);
      taken.push({ ...at, ...size });
    }
  });
});
