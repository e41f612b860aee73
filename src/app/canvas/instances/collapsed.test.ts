import { beforeEach, describe, expect, it, vi } from "vitest";
import production from "../../../../templates/production.json";
import { loadDesign } from "../../../core/design/load";
import { memoryStorage } from "../../../../tests/support/memoryStorage";
import { createAppStore } from "../../store/create";
import { currentDesign } from "../../store/state";
import { collapsedIn, collapsedKey, parseCollapsed, setCollapsed } from "./collapsed";

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
});

describe("collapsed instances", () => {
  it("are kept in this browser per design, and an expanded design keeps no entry", () => {
    setCollapsed("d1", "host", true);
    setCollapsed("d1", "edge", true);
    expect(localStorage.getItem(collapsedKey("d1"))).toBe('["edge","host"]');
    expect(collapsedIn("d2").size).toBe(0);
    setCollapsed("d1", "host", false);
    setCollapsed("d1", "edge", false);
    expect(localStorage.getItem(collapsedKey("d1"))).toBeNull();
  });

  it("read what is stored as a list of ids, and anything else as none", () => {
    expect([...parseCollapsed('["a","b"]')]).toEqual(["a", "b"]);
    expect([...parseCollapsed('["a",1,null]')]).toEqual(["a"]);
    for (const bad of [null, "", "{", '{"a":1}', "7"]) expect(parseCollapsed(bad).size).toBe(0);
  });

  it("leave the design in the store as it was: collapsing is a view, the compiler never sees it", () => {
    const store = createAppStore();
    store.getState().startDesign(loadDesign(production).design!);
    const before = currentDesign(store.getState());
    const { designId } = store.getState();
    const undoSteps = store.temporal.getState().pastStates.length;
    setCollapsed(designId, "host", true);
    expect(currentDesign(store.getState())).toEqual(before);
    expect(store.getState().nodes).toBe(before.nodes);
    setCollapsed(designId, "host", false);
    expect(currentDesign(store.getState())).toEqual(before);
    // Nor is it an edit: undo has nothing new to take back.
    expect(store.temporal.getState().pastStates).toHaveLength(undoSteps);
  });
});
