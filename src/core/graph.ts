/**
 * Graph algorithms over a design's edges. An edge `source → target` means the target builds on
 * the source. Every result is deterministic: ties are broken by id (code-unit order), so the
 * compiler's output does not depend on the order nodes and edges come in.
 *
 * The algorithms number the ids once and then work on integers in typed arrays: the string
 * version, with a Map lookup per edge end and a heap of ids compared as strings, was a tenth
 * of compiling a 5 000-node design. Ids are expected to be unique (a repeated one counts
 * once), and edges with an end that is not one of the ids are left out.
 */

import { sortInPlace } from "./order";

export interface Edge {
  readonly source: string;
  readonly target: string;
}

/** The ids numbered 0…n-1 and the edges among them, as parallel arrays of numbers. */
interface Numbered {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly sources: Int32Array;
  readonly targets: Int32Array;
}

/**
 * Numbers the ids in the order given or, with `sorted`, in id order, so that a smaller number is
 * a smaller id and a heap of numbers hands out ids in order.
 */
function numbered(ids: readonly string[], edges: readonly Edge[], sorted: boolean): Numbered {
  // The index makes the ids unique as it numbers them (sorted, a repeated id is next to its
  // twin), with no Set of them and copy of it first: 5 000 ids took about two thirds of the
  // time (measured).
  const unique: string[] = [];
  const index = new Map<string, number>();
  if (sorted) {
    // The engine's own order for strings is code-unit order, as `compare`'s, and without a
    // call per comparison a quarter to a third faster.
    const all = [...ids].sort();
    for (let i = 0; i < all.length; i++) {
      const id = all[i]!;
      if (i > 0 && id === all[i - 1]) continue;
      index.set(id, unique.length);
      unique.push(id);
    }
  } else {
    for (const id of ids) {
      if (index.has(id)) continue;
      index.set(id, unique.length);
      unique.push(id);
    }
  }
  const sources = new Int32Array(edges.length);
  const targets = new Int32Array(edges.length);
  let m = 0;
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    sources[m] = s;
    targets[m] = t;
    m++;
  }
  return { ids: unique, index, sources: sources.subarray(0, m), targets: targets.subarray(0, m) };
}

/** Adjacency lists in two flat arrays: the neighbours of node i are `list[start[i]] … list[start[i + 1] - 1]`, in edge order. */
interface Adjacency {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

/** Each node's `to` ends of the edges `from[k] → to[k]`. */
function adjacency(n: number, from: Int32Array, to: Int32Array): Adjacency {
  const start = new Int32Array(n + 1);
  for (let k = 0; k < from.length; k++) start[from[k]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) list[fill[from[k]!]!++] = to[k]!;
  return { start, list };
}

/**
 * The nodes of one cycle in edge order, starting at its smallest id, or null when the graph is
 * acyclic. Iterative, so a chain of 10 000 nodes cannot overflow the stack.
 */
export function findCycle(ids: readonly string[], edges: readonly Edge[]): string[] | null {
  const quick = numbered(ids, edges, false);
  // Most graphs have no cycle, and that needs no order to tell; only a cycle to report does.
  if (kahn(quick).length === quick.ids.length) return null;
  const g = numbered(ids, edges, true);
  const n = g.ids.length;
  const next = adjacency(n, g.sources, g.targets);
  // Numbers are in id order, so each node's targets sorted as numbers are sorted by id.
  for (let i = 0; i < n; i++) next.list.subarray(next.start[i], next.start[i + 1]).sort();
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    const path: number[] = [start];
    const cursor: number[] = [next.start[start]!];
    state[start] = ON_PATH;
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const k = cursor[cursor.length - 1]!;
      if (k >= next.start[node + 1]!) {
        state[node] = DONE;
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = k + 1;
      const child = next.list[k]!;
      if (state[child] === ON_PATH) return smallestFirst(path.slice(path.indexOf(child))).map((i) => g.ids[i]!);
      if (state[child] === 0) {
        state[child] = ON_PATH;
        path.push(child);
        cursor.push(next.start[child]!);
      }
    }
  }
  return null;
}

/** The cycle rotated to start at its smallest number, which is its smallest id. */
function smallestFirst(cycle: number[]): number[] {
  const at = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/** Kahn's algorithm with the smallest ready id first. Nodes on a cycle are left out. */
export function topologicalOrder(ids: readonly string[], edges: readonly Edge[]): string[] {
  const g = numbered(ids, edges, true);
  return kahn(g).map((i) => g.ids[i]!);
}

/**
 * Kahn's algorithm: every node not on or after a cycle, the smallest ready number first. The
 * order of each node's targets does not matter: all of them are ready before the next pop.
 */
function kahn(g: Numbered): number[] {
  const n = g.ids.length;
  const ready = new MinHeap(n);
  const next = adjacency(n, g.sources, g.targets);
  const indegree = new Int32Array(n);
  for (let k = 0; k < g.targets.length; k++) indegree[g.targets[k]!]!++;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  for (let node = ready.pop(); node >= 0; node = ready.pop()) {
    order.push(node);
    for (let k = next.start[node]!; k < next.start[node + 1]!; k++) {
      const child = next.list[k]!;
      if (--indegree[child]! === 0) ready.push(child);
    }
  }
  return order;
}

/** Every node from which `target` can be reached (not including `target`). */
export function ancestors(target: string, edges: readonly Edge[]): Set<string> {
  const previous = predecessors(edges);
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
  const g = numbered(ids, edges, true);
  const n = g.ids.length;
  const order = kahn(g);
  // Each node's place among the members: topological, then the nodes Kahn left out, by id
  // (their numbers are in id order).
  const place = new Int32Array(n).fill(-1);
  order.forEach((node, i) => (place[node] = i));
  let last = order.length;
  for (let i = 0; i < n; i++) if (place[i] === -1) place[i] = last++;
  const atPlace: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) atPlace[place[i]!] = g.ids[i]!;
  const previous = adjacency(n, g.targets, g.sources);
  // seenBy[i] is the number (from 1) of the last root whose search reached node i: one array
  // for every root's search, never cleared.
  const seenBy = new Int32Array(n);
  const stack = new Int32Array(n);
  const result = new Map<string, string[]>();
  roots.forEach((root, r) => {
    const start = g.index.get(root);
    if (start === undefined) {
      result.set(root, [root]);
      return;
    }
    const mark = r + 1;
    seenBy[start] = mark;
    const places = [place[start]!];
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const node = stack[--top]!;
      for (let k = previous.start[node]!; k < previous.start[node + 1]!; k++) {
        const p = previous.list[k]!;
        if (seenBy[p] === mark) continue;
        seenBy[p] = mark;
        places.push(place[p]!);
        stack[top++] = p;
      }
    }
    sortInPlace(places, byNumber);
    result.set(root, places.map((at) => atPlace[at]!));
  });
  return result;
}

const byNumber = (a: number, b: number): number => a - b;

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

/** Kahn's ready nodes, handed out smallest number first (-1 when there is none). Holds each node at most once. */
class MinHeap {
  private readonly items: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
  }

  push(node: number): void {
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= node) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = node;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.size]!;
    const size = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const smaller = l + 1 < size && a[l + 1]! < a[l]! ? l + 1 : l;
      if (a[smaller]! >= last) break;
      a[i] = a[smaller]!;
      i = smaller;
    }
    a[i] = last;
    return top;
  }
}
