import { describe, expect, it } from "vitest";
import { glance, glanceEdges } from "./glance";

// a → b → I, c → J, s → I and s → J (shared), x alone.
const NODES = ["a", "b", "c", "s", "x", "I", "J"];
const I = { nodeId: "I", members: ["a", "b", "s", "I"] };
const J = { nodeId: "J", members: ["c", "s", "J"] };
const EDGES = [
  { id: "ab", source: "a", target: "b" },
  { id: "bI", source: "b", target: "I" },
  { id: "cJ", source: "c", target: "J" },
  { id: "sI", source: "s", target: "I" },
  { id: "sJ", source: "s", target: "J" },
  { id: "xa", source: "x", target: "a" },
];
const none = new Set<string>();

describe("glance", () => {
  it("selecting an instance dims every node outside its members, and nothing else selected dims nothing", () => {
    expect([...glance(NODES, [I, J], ["I"], none).dimmed].sort()).toEqual(["J", "c", "x"]);
    expect([...glance(NODES, [I, J], ["I", "J"], none).dimmed]).toEqual(["x"]);
    expect(glance(NODES, [I, J], ["a"], none).dimmed.size).toBe(0);
    expect(glance(NODES, [I, J], [], none).dimmed.size).toBe(0);
  });

  it("hides a collapsed instance's members, but a shared one only when all its instances are collapsed", () => {
    const one = glance(NODES, [I, J], [], new Set(["I"]));
    expect([...one.hidden].sort()).toEqual(["a", "b"]);
    expect(one.hiddenCount).toEqual(new Map([["I", 2]]));
    const both = glance(NODES, [I, J], [], new Set(["I", "J"]));
    expect([...both.hidden].sort()).toEqual(["a", "b", "c", "s"]);
    expect(both.hiddenCount).toEqual(new Map([["I", 3], ["J", 2]]));
    // Instance nodes never hide, and an id that is no instance (any more) collapses nothing.
    expect(glance(NODES, [I, J], [], new Set(["x", "gone"])).hidden.size).toBe(0);
  });

  it("draws a hidden member's edges to its instance's card and drops those inside it", () => {
    const edges = glanceEdges(EDGES, glance(NODES, [I, J], [], new Set(["I"])));
    expect(edges.map((e) => [e.id, e.source, e.target])).toEqual([
      ["cJ", "c", "J"],
      ["sI", "s", "I"],
      ["sJ", "s", "J"],
      ["xa", "x", "I"],
    ]);
    const both = glanceEdges(EDGES, glance(NODES, [I, J], [], new Set(["I", "J"])));
    expect(both.map((e) => [e.id, e.source, e.target])).toEqual([["xa", "x", "I"]]);
  });

  it("leaves the edges as they are while nothing is collapsed", () => {
    expect(glanceEdges(EDGES, glance(NODES, [I, J], ["I"], none))).toBe(EDGES);
  });
});
