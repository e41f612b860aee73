/**
 * Graph algorithms over a design's edges. An edge `source → target` means the target builds on
 * the source. Every result is deterministic: ties are broken by id (code-unit order), so the
 * compiler's output does not depend on the order nodes and edges come in.
 */

import { compare } from "./order";

export interface Edge {
  readonly source: string;
  readonly target: string;
}

/** Each node's targets, in edge order. */
function successors(ids: readonly string[], edges: readonly Edge[]): Map<string, string[]> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (out.has(e.source) && out.has(e.target)) out.get(e.source)!.push(e.target);
  }
  return out;
}

/**
 * The nodes of one cycle in edge order, starting at its smallest id, or null when the graph is
 * acyclic. Iterative, so a chain of 10 000 nodes cannot overflow the stack.
 */
export function findCycle(ids: readonly string[], edges: readonly Edge[]): string[] | null {
  const next = successors(ids, edges);
  // Most graphs have no cycle, and that needs no order to tell; only a cycle to report does.
  if (kahn(ids, next, []).length === ids.length) return null;
  for (const list of next.values()) list.sort(compare);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  for (const start of [...ids].sort(compare)) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const cursor: number[] = [0];
    state.set(start, 1);
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const children = next.get(node)!;
      const i = cursor[cursor.length - 1]!;
      if (i >= children.length) {
        state.set(node, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const child = children[i]!;
      const seen = state.get(child);
      if (seen === 1) return rotateToSmallest(path.slice(path.indexOf(child)));
      if (seen === undefined) {
        state.set(child, 1);
        path.push(child);
        cursor.push(0);
      }
    }
  }
  return null;
}

function rotateToSmallest(cycle: string[]): string[] {
  const smallest = [...cycle].sort(compare)[0]!;
  const at = cycle.indexOf(smallest);
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/** Kahn's algorithm with the smallest ready id first. Nodes on a cycle are left out. */
export function topologicalOrder(ids: readonly string[], edges: readonly Edge[]): string[] {
  return kahn(ids, successors(ids, edges), new MinHeap());
}

/**
 * Kahn's algorithm: every node not on or after a cycle, in the order `ready` hands them out.
 * The order of each node's targets does not matter: all of them are ready before the next pop.
 */
function kahn(ids: readonly string[], next: ReadonlyMap<string, readonly string[]>, ready: { push(id: string): void; pop(): string | undefined }): string[] {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const children of next.values()) {
    for (const c of children) indegree.set(c, indegree.get(c)! + 1);
  }
  for (const id of ids) if (indegree.get(id) === 0) ready.push(id);
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const c of next.get(id)!) {
      const d = indegree.get(c)! - 1;
      indegree.set(c, d);
      if (d === 0) ready.push(c);
    }
  }
  return order;
}

/** Every node from which `target` can be reached (not including `target`). */
export function ancestors(target: string, edges: readonly Edge[]): Set<string> {
  return ancestorsIn(predecessors(edges), target);
}

/**
 * The node set of each root: the root and all its ancestors, in topological order (nodes on or
 * after a cycle last, by id). Built once for all roots, so a design with many instances stays linear
 * in practice.
 */
export function memberships(
  ids: readonly string[],
  edges: readonly Edge[],
  roots: readonly string[],
): Map<string, string[]> {
  const previous = predecessors(edges);
  const rank = new Map(topologicalOrder(ids, edges).map((id, i) => [id, i]));
  const result = new Map<string, string[]>();
  for (const root of roots) {
    const members = [...ancestorsIn(previous, root), root];
    const at = (id: string) => rank.get(id) ?? Infinity;
    result.set(root, members.sort((a, b) => at(a) - at(b) || compare(a, b)));
  }
  return result;
}

/** For each node, the sources of the edges into it, in edge order. */
export function predecessors(edges: readonly Edge[]): Map<string, string[]> {
  const previous = new Map<string, string[]>();
  for (const e of edges) {
    const list = previous.get(e.target);
    if (list) list.push(e.source);
    else previous.set(e.target, [e.source]);
  }
  return previous;
}

function ancestorsIn(previous: ReadonlyMap<string, readonly string[]>, target: string): Set<string> {
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    for (const p of previous.get(stack.pop()!) ?? []) {
      if (!seen.has(p) && p !== target) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return seen;
}

class MinHeap {
  private readonly items: string[] = [];

  push(item: string): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(a[parent]!, a[i]!) <= 0) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && compare(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && compare(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
