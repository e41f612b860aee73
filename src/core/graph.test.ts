import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ancestors, findCycle, memberships, topologicalOrder, type Edge } from "./graph";
import { compare } from "./order";

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

// The simple versions the numbered ones replaced: ids and Maps of strings, the smallest ready id
// found by sorting. The numbered ones must give exactly what these give.
function referenceOrder(ids: readonly string[], edges: readonly Edge[]): string[] {
  const known = new Set(ids);
  const inside = edges.filter((x) => known.has(x.source) && known.has(x.target));
  const indegree = new Map([...known].map((id) => [id, 0]));
  for (const x of inside) indegree.set(x.target, indegree.get(x.target)! + 1);
  const ready = [...known].filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.sort(compare).shift()!;
    order.push(id);
    for (const x of inside) {
      if (x.source !== id) continue;
      indegree.set(x.target, indegree.get(x.target)! - 1);
      if (indegree.get(x.target) === 0) ready.push(x.target);
    }
  }
  return order;
}

function referenceMembers(ids: readonly string[], edges: readonly Edge[], root: string): string[] {
  const known = new Set(ids);
  const inside = edges.filter((x) => known.has(x.source) && known.has(x.target));
  const members = [...ancestors(root, inside), root];
  const rank = new Map(referenceOrder(ids, edges).map((id, i) => [id, i]));
  const at = (id: string) => rank.get(id) ?? Infinity;
  return members.sort((a, b) => at(a) - at(b) || compare(a, b));
}

/** A cycle found by depth-first search from the smallest id, each node's targets in id order. */
function referenceCycle(ids: readonly string[], edges: readonly Edge[]): string[] | null {
  const known = new Set(ids);
  const next = (id: string) => edges.filter((x) => x.source === id && known.has(x.target)).map((x) => x.target).sort(compare);
  const done = new Set<string>();
  const visit = (path: string[]): string[] | null => {
    for (const child of next(path[path.length - 1]!)) {
      if (path.includes(child)) return path.slice(path.indexOf(child));
      if (done.has(child)) continue;
      const found = visit([...path, child]);
      if (found) return found;
    }
    done.add(path[path.length - 1]!);
    return null;
  };
  for (const start of [...known].sort(compare)) {
    if (done.has(start)) continue;
    const cycle = visit([start]);
    if (cycle) {
      const at = cycle.indexOf([...cycle].sort(compare)[0]!);
      return [...cycle.slice(at), ...cycle.slice(0, at)];
    }
  }
  return null;
}

describe("the numbered graph algorithms", () => {
  // Few ids and many edges, so repeated edges, self-loops, cycles through shared nodes and
  // edges to a missing node ("z") are common; ids in any order, some sharing a prefix.
  const id: fc.Arbitrary<string> = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "aa", "b1", "B", "é");
  const graph = fc.uniqueArray(id, { minLength: 1, maxLength: 12 }).chain((ids) => {
    const end = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constant("z") });
    return fc.record({ ids: fc.constant(ids), edges: fc.array(fc.record({ source: end, target: end }), { maxLength: 3 * ids.length, size: "max" }) });
  });
  // The same, most of them without a cycle: edges only from an earlier id to a later one.
  const dag = graph.map(({ ids, edges }) => ({ ids, edges: edges.filter((x) => ids.indexOf(x.source) < ids.indexOf(x.target)) }));
  const graphs = fc.oneof(graph, dag);

  it("order topologically as the string version does", () => {
    fc.assert(fc.property(graphs, ({ ids, edges }) => {
      expect(topologicalOrder(ids, edges)).toEqual(referenceOrder(ids, edges));
    }), { numRuns: 500 });
  });

  it("find the cycle the string version finds, or none", () => {
    fc.assert(fc.property(graphs, ({ ids, edges }) => {
      expect(findCycle(ids, edges)).toEqual(referenceCycle(ids, edges));
    }), { numRuns: 500 });
  });

  it("give each root the members the string version gives, in its order", () => {
    fc.assert(
      fc.property(graphs, fc.array(id, { maxLength: 4 }), ({ ids, edges }, picked) => {
        const roots = [...new Set(picked.filter((r) => ids.includes(r)))];
        const sets = memberships(ids, edges, roots);
        expect([...sets.keys()]).toEqual(roots);
        for (const root of roots) expect(sets.get(root)).toEqual(referenceMembers(ids, edges, root));
      }),
      { numRuns: 500 },
    );
  });
});
