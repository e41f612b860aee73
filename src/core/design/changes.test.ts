import { describe, expect, it } from "vitest";
import { changedNodes } from "./changes";
import { DESIGN_VERSION, type Design } from "./types";

const design = (over: Partial<Design> = {}): Design => ({
  version: DESIGN_VERSION,
  name: "d",
  nodes: [
    { id: "host", kind: "cim-instance", position: { x: 0, y: 0 }, config: { id: "cim-a" } },
    { id: "nats", kind: "nats-leaf", position: { x: 1, y: 0 }, config: { port: 4222 } },
    { id: "graph", kind: "graph-domain", position: { x: 2, y: 0 }, config: {} },
  ],
  edges: [
    { id: "e1", source: "nats", target: "host" },
    { id: "e2", source: "graph", target: "host" },
  ],
  ...over,
});

describe("changedNodes", () => {
  it("everything is new on a first deployment", () => {
    expect(changedNodes(null, design())).toEqual({ added: ["graph", "host", "nats"], changed: [], removed: [] });
  });
  it("a moved node is not a change; a changed setting is", () => {
    const d = design();
    const moved = { ...d, nodes: d.nodes.map((n) => (n.id === "nats" ? { ...n, position: { x: 99, y: 99 } } : n)) };
    expect(changedNodes(d, moved)).toEqual({ added: [], changed: [], removed: [] });
    const port = { ...d, nodes: d.nodes.map((n) => (n.id === "nats" ? { ...n, config: { port: 4223 } } : n)) };
    expect(changedNodes(d, port)).toEqual({ added: [], changed: ["nats"], removed: [] });
  });
  it("a label or a note is not a change: neither reaches the flake", () => {
    const d = design();
    const named = { ...d, nodes: d.nodes.map((n) => (n.id === "nats" ? { ...n, label: "edge broker" } : n)), notes: [{ id: "note-1", text: "ask ops", color: "yellow" as const, position: { x: 0, y: 0 } }] };
    expect(changedNodes(d, named)).toEqual({ added: [], changed: [], removed: [] });
    expect(changedNodes(named, d)).toEqual({ added: [], changed: [], removed: [] });
  });
  it("a new or removed edge changes the node that builds on it; removed nodes are listed", () => {
    const d = design();
    const fewer = { ...d, nodes: d.nodes.filter((n) => n.id !== "graph"), edges: d.edges.filter((e) => e.source !== "graph") };
    expect(changedNodes(d, fewer)).toEqual({ added: [], changed: ["host"], removed: ["graph"] });
  });
  it("key order in a config does not matter", () => {
    const a = design({ nodes: [{ id: "x", kind: "redis", position: { x: 0, y: 0 }, config: { a: 1, b: 2 } }], edges: [] });
    const b = design({ nodes: [{ id: "x", kind: "redis", position: { x: 0, y: 0 }, config: { b: 2, a: 1 } }], edges: [] });
    expect(changedNodes(a, b).changed).toEqual([]);
  });
});
