import { describe, expect, it } from "vitest";
import { INITIAL_LAYOUT, PANEL_BOUNDS, STEP, parseLayout, sizeForKey } from "./panelSizes";

describe("the panels' layout kept in the browser", () => {
  it("reads back what was kept, clamped to each panel's bounds", () => {
    const kept = JSON.stringify({ palette: { size: 300, collapsed: true }, inspector: { size: 10_000, collapsed: false }, output: { size: 1 } });
    expect(parseLayout(kept)).toEqual({
      palette: { size: 300, collapsed: true },
      inspector: { size: PANEL_BOUNDS.inspector.max, collapsed: false },
      output: { size: PANEL_BOUNDS.output.min, collapsed: false },
    });
  });

  it("falls back to the initial layout, panel by panel, for anything unreadable", () => {
    expect(parseLayout(null)).toEqual(INITIAL_LAYOUT);
    expect(parseLayout("{not json")).toEqual(INITIAL_LAYOUT);
    expect(parseLayout("[1,2]")).toEqual(INITIAL_LAYOUT);
    expect(parseLayout(JSON.stringify({ palette: { size: "wide", collapsed: "yes" }, output: null }))).toEqual(INITIAL_LAYOUT);
    expect(parseLayout(JSON.stringify({ palette: { size: Number.NaN } })).palette.size).toBe(PANEL_BOUNDS.palette.initial);
  });
});

describe("a splitter's keys", () => {
  it("grow and shrink by a step (four with Shift), within bounds; Home and End go to them", () => {
    expect(sizeForKey("palette", 240, "ArrowRight", false, "ArrowRight")).toBe(240 + STEP);
    expect(sizeForKey("palette", 240, "ArrowLeft", true, "ArrowRight")).toBe(240 - 4 * STEP);
    // The inspector is on the right: ArrowLeft widens it.
    expect(sizeForKey("inspector", 320, "ArrowLeft", false, "ArrowLeft")).toBe(320 + STEP);
    expect(sizeForKey("output", 288, "ArrowUp", false, "ArrowUp")).toBe(288 + STEP);
    expect(sizeForKey("output", PANEL_BOUNDS.output.min, "ArrowDown", true, "ArrowUp")).toBe(PANEL_BOUNDS.output.min);
    expect(sizeForKey("palette", 240, "Home", false, "ArrowRight")).toBe(PANEL_BOUNDS.palette.min);
    expect(sizeForKey("palette", 240, "End", false, "ArrowRight")).toBe(PANEL_BOUNDS.palette.max);
    expect(sizeForKey("palette", 240, "a", false, "ArrowRight")).toBeNull();
  });
});
