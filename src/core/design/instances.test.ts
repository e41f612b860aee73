import { describe, expect, it } from "vitest";
import { designInstances } from "./instances";
import type { DesignEdge, DesignNode } from "./types";

const node = (id: string, kind: string, config: Record<string, unknown> = {}): DesignNode => ({ id, kind, position: { x: 0, y: 0 }, config });
const edge = (source: string, target: string): DesignEdge => ({ id: `${source}->${target}`, source, target });
const host = (id: string, hostId: string, config: Record<string, unknown> = {}) => node(id, "cim-instance", { id: hostId, ...config });

describe("an instance and its members", () => {
  it("are the instance and every node with a path to it, in topological order, with the host the kind reads", () => {
    const nodes = [host("h", "cim-a", { leafId: "leaf-1", name: "A" }), node("nats", "nats-leaf"), node("graph", "graph-domain"), node("alone", "redis")];
    const [a, ...rest] = designInstances(nodes, [edge("nats", "graph"), edge("graph", "h")]);
    expect(rest).toEqual([]);
    expect(a).toEqual({
      nodeId: "h",
      hostId: "cim-a",
      stateVersion: "24.05",
      system: "x86_64-linux",
      name: "A",
      leafId: "leaf-1",
      executor: { credentialsField: "executorCredentials", trustedKeys: [], trustedKeysField: "trustedKeys" },
      members: ["nats", "graph", "h"],
      nested: [],
    });
  });

  it("never include another instance: it is listed as nested, and what builds on it stays a member", () => {
    const nodes = [host("outer", "cim-o"), host("inner", "cim-i"), node("nats", "nats-hub")];
    const byId = new Map(designInstances(nodes, [edge("nats", "inner"), edge("inner", "outer")]).map((i) => [i.nodeId, i]));
    expect(byId.get("outer")).toMatchObject({ members: ["nats", "outer"], nested: ["inner"] });
    expect(byId.get("inner")).toMatchObject({ members: ["nats", "inner"], nested: [] });
  });

  it("come by host id then node id; a shared node belongs to both hosts", () => {
    const nodes = [host("z", "cim-a"), host("b", "cim-b"), host("a", "cim-a"), node("fw", "firewall")];
    const found = designInstances(nodes, [edge("fw", "z"), edge("fw", "b")]);
    expect(found.map((i) => [i.hostId, i.nodeId, i.members])).toEqual([
      ["cim-a", "a", ["a"]],
      ["cim-a", "z", ["fw", "z"]],
      ["cim-b", "b", ["fw", "b"]],
    ]);
  });

  it("survive what the editor may hold and validation refuses: a bad id, edges to nowhere, a cycle, an unknown kind", () => {
    const nodes = [host("h", "not a host id!"), node("x", "no-such-kind"), node("p", "firewall"), node("q", "security")];
    const [h] = designInstances(nodes, [edge("ghost", "h"), edge("x", "h"), edge("p", "q"), edge("q", "p"), edge("q", "h")]);
    expect(h!.hostId).toBe("");
    expect([...h!.members].sort()).toEqual(["h", "p", "q", "x"]);
  });
});
