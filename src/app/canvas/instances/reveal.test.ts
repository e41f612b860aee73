import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DesignNode } from "../../../core/design/types";
import { memoryStorage } from "../../../../tests/support/memoryStorage";
import { useAppStore } from "../../store";
import { collapsedIn, setCollapsed } from "./collapsed";
import { drawnNodes, reveal } from "./reveal";

// nats feeds both instances (shared); each has its own graph domain; "spare" builds on none.
const node = (id: string, kind: string, config: Record<string, unknown> = {}): DesignNode => ({ id, kind, position: { x: 0, y: 0 }, config });
const NODES = [
  node("nats", "nats-leaf"),
  node("graph-a", "graph-domain"),
  node("host-a", "cim-instance", { id: "cim-a" }),
  node("graph-b", "graph-domain"),
  node("host-b", "cim-instance", { id: "cim-b" }),
  node("spare", "graph-domain"),
];
const EDGES = [
  ["nats", "graph-a"],
  ["graph-a", "host-a"],
  ["nats", "graph-b"],
  ["graph-b", "host-b"],
].map(([source, target]) => ({ id: `${source}->${target}`, source: source!, target: target! }));

let design = 0;
beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
  // A design of its own per test: which instances are collapsed is kept per design.
  useAppStore.setState({ designId: `design-${++design}`, nodes: NODES, edges: EDGES });
});
const collapse = (...ids: string[]) => ids.forEach((id) => setCollapsed(useAppStore.getState().designId, id, true));

describe("the nodes the canvas draws (Ctrl+A's selection)", () => {
  it("are every node, in design order, while nothing is collapsed", () => {
    expect(drawnNodes()).toEqual(NODES.map((n) => n.id));
  });

  it("leave out the members a collapsed instance hides, not its own card nor a member an open instance shares", () => {
    collapse("host-a");
    expect(drawnNodes()).toEqual(["nats", "host-a", "graph-b", "host-b", "spare"]);
  });

  it("leave out a shared member once every instance it belongs to is collapsed", () => {
    collapse("host-a", "host-b");
    expect(drawnNodes()).toEqual(["host-a", "host-b", "spare"]);
  });
});

describe("revealing a hidden member", () => {
  it("expands the instance it is folded into, so the canvas draws it", () => {
    collapse("host-a");
    reveal("graph-a");
    expect(collapsedIn(useAppStore.getState().designId).has("host-a")).toBe(false);
    expect(drawnNodes()).toContain("graph-a");
  });
});
