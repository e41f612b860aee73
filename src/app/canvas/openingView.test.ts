import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openingView, READABLE_ZOOM } from "./openingView";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

/** The canvas of a 1440×900 window with the panels at their initial sizes. */
const pane = { width: 880, height: 524 };
const { width: W, height: H } = UNMEASURED_NODE_SIZE;

/** Where a point of the flow lands on the pane under a viewport. */
const onPane = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y });

/** Whether a node's whole card is on the pane. */
function shown(v: { x: number; y: number; zoom: number }, p: { x: number; y: number }, on = pane): boolean {
  const a = onPane(v, p);
  const b = onPane(v, { x: p.x + W, y: p.y + H });
  return a.x >= -0.5 && a.y >= -0.5 && b.x <= on.width + 0.5 && b.y <= on.height + 0.5;
}

const nodes = (positions: readonly { x: number; y: number }[]) => positions.map((position, i) => ({ id: `n${i}`, position }));

/** Production's shape: three columns of three and more feeding an instance on the far right. */
const production = nodes([0, 1, 2, 3, 4].flatMap((col) => [0, 1, 2].map((row) => ({ x: 80 + col * 280, y: 80 + row * 140 })))).concat({ id: "host", position: { x: 1480, y: 80 } });

describe("the opening view", () => {
  it("shows a design whose cards can be read whole, centred, as fitView would", () => {
    const big = { width: 1600, height: 900 };
    const positions = [{ x: -300, y: 40 }, { x: 200, y: -120 }, { x: 700, y: 300 }];
    const { viewport: v, fit } = openingView(nodes(positions), undefined, big);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    for (const p of positions) expect(shown(v, p, big)).toBe(true);
    // The design's horizontal extent fills the pane but for the 10 % margin.
    const left = onPane(v, { x: -300, y: 0 }).x;
    const right = onPane(v, { x: 700 + W, y: 0 }).x;
    expect(Math.abs(right - left - big.width / 1.1)).toBeLessThan(3);
    expect(Math.abs(left - (big.width - right))).toBeLessThan(3);
    // Once measured, React Flow fits it again, never below the readable zoom.
    expect(fit).toEqual({ padding: 0.1, minZoom: READABLE_ZOOM, maxZoom: 2 });
    expect(openingView(nodes([{ x: 0, y: 0 }]), undefined, pane).viewport.zoom).toBe(2);
  });

  it("opens a design too big for that on the instance in focus, whole when its cards can be read so", () => {
    const far = nodes([{ x: 0, y: 0 }, { x: 260, y: 0 }, { x: 520, y: 0 }, { x: 5000, y: 3000 }, { x: 5260, y: 3000 }]);
    const focus = { nodeId: "n2", members: ["n0", "n1", "n2"] };
    const { viewport: v, fit } = openingView(far, focus, pane);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(far.map((n) => shown(v, n.position))).toEqual([true, true, true, false, false]);
    expect(fit?.nodes).toEqual([{ id: "n0" }, { id: "n1" }, { id: "n2" }]);
    expect(fit?.minZoom).toBe(READABLE_ZOOM);
  });

  it("opens an instance too big to read whole at the readable zoom, its node on screen and the rest of the pane on its members", () => {
    const focus = { nodeId: "host", members: production.map((n) => n.id) };
    const { viewport: v, fit } = openingView(production, focus, pane);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(fit).toBeUndefined();
    expect(shown(v, { x: 1480, y: 80 })).toBe(true);
    // The members lie to its left: the instance sits at the right edge, not in the middle of nothing.
    expect(onPane(v, { x: 1480 + W, y: 0 }).x).toBeCloseTo(pane.width - 24, 0);
    expect(production.filter((n) => n.id !== "host" && shown(v, n.position)).length).toBeGreaterThan(0);
    // Vertically the members' middle, which keeps the instance's row in view.
    expect(onPane(v, { x: 0, y: 80 }).y).toBeGreaterThanOrEqual(0);
  });

  it("anchors a design with no instance on its first node", () => {
    const { viewport: v } = openingView(production, undefined, pane);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(shown(v, production[0]!.position)).toBe(true);
  });

  it("never opens where a card's text cannot be read, and always with the instance in focus (or the first node) on screen", () => {
    const position = fc.record({ x: fc.integer({ min: -20_000, max: 20_000 }), y: fc.integer({ min: -20_000, max: 20_000 }) });
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 60 }), fc.nat(), fc.boolean(), fc.record({ width: fc.integer({ min: 300, max: 3000 }), height: fc.integer({ min: 200, max: 2000 }) }), (positions, pick, withFocus, on) => {
        const all = nodes(positions);
        const anchor = all[pick % all.length]!;
        const focus = withFocus ? { nodeId: anchor.id, members: all.filter((_, i) => i % 2 === 0).map((n) => n.id) } : undefined;
        const { viewport: v } = openingView(all, focus, on);
        expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
        expect(shown(v, (focus ? anchor : all[0]!).position, on) || all.every((n) => shown(v, n.position, on))).toBe(true);
      }),
    );
  });

  it("opens an empty design, or an unsized pane, at 1:1", () => {
    expect(openingView([], undefined, pane)).toEqual({ viewport: { x: 0, y: 0, zoom: 1 } });
    expect(openingView(production, undefined, { width: 0, height: 0 })).toEqual({ viewport: { x: 0, y: 0, zoom: 1 } });
  });
});
