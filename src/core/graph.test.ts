import { describe, expect, it } from "vitest";
import { ancestors, findCycle, memberships, topologicalOrder } from "./graph";

const e = (source: string, target: string) => ({ source, target });

describe("graph algorithms", () => {
  it("finds no cycle in a DAG and names the nodes of one, from its smallest id", () => {
    expect(findCycle(["a", "b", "c"], [e("a", "b"), e("b", "c")])).toBeNull();
    expect(findCycle(["a", "b", "c", "d"], [e("d", "b"), e("b", "c"), e("c", "d"), e("a", "b")])).toEqual(["b", "c", "d"]);
    expect(findCycle(["x"], [e("x", "x")])).toEqual(["x"]);
  });

  it("orders topologically with ties broken by id, whatever the input order", () => {
    const edges = [e("c", "d"), e("a", "d"), e("b", "c")];
    expect(topologicalOrder(["d", "c", "b", "a"], edges)).toEqual(["a", "b", "c", "d"]);
    expect(topologicalOrder(["a", "b", "c", "d"], [...edges].reverse())).toEqual(["a", "b", "c", "d"]);
  });

  it("gives each instance its ancestors; a shared node belongs to both", () => {
    const edges = [e("nats", "graph"), e("graph", "host1"), e("nats", "host2"), e("lonely", "other")];
    expect([...ancestors("host1", edges)].sort()).toEqual(["graph", "nats"]);
    const sets = memberships(["host1", "host2", "nats", "graph", "lonely", "other"], edges, ["host1", "host2"]);
    expect(sets.get("host1")).toEqual(["nats", "graph", "host1"]);
    expect(sets.get("host2")).toEqual(["nats", "host2"]);
  });

  it("handles a chain of 10 000 nodes without deep recursion", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${String(i).padStart(5, "0")}`);
    const edges = ids.slice(1).map((id, i) => e(ids[i]!, id));
    expect(findCycle(ids, edges)).toBeNull();
    expect(topologicalOrder([...ids].reverse(), edges)).toEqual(ids);
    expect(ancestors(ids[ids.length - 1]!, edges).size).toBe(9_999);
  });
});
