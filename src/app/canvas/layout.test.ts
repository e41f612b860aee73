import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DesignEdge, DesignNode, Position } from "../../core/design/types";
import { memoryStorage } from "../../../tests/support/memoryStorage";
import { useAppStore } from "../store";
import { layOut } from "./layout";
import { UNMEASURED_NODE_SIZE } from "./nodes/types";

type Size = { width: number; height: number };
type Flow = Parameters<typeof layOut>[0];

// Cards of very different sizes, as React Flow measured them; "a" and "spare" not measured yet.
const SIZES: Record<string, Size> = {
  b: { width: 600, height: 60 },
  c: { width: 200, height: 300 },
  d: { width: 224, height: 90 },
  host: { width: 300, height: 120 },
  wide: { width: 400, height: 200 },
};
const flow = { getInternalNode: (id: string) => (SIZES[id] ? { measured: SIZES[id] } : undefined) } as unknown as Flow;
const sizeOf = (id: string): Size => SIZES[id] ?? UNMEASURED_NODE_SIZE;

// A diamond a → b, c → d into an instance, a second input into it, and a node joined to nothing.
const EDGES: DesignEdge[] = [
  ["a", "b"],
  ["a", "c"],
  ["b", "d"],
  ["c", "d"],
  ["d", "host"],
  ["wide", "host"],
].map(([source, target]) => ({ id: `${source}->${target}`, source: source!, target: target! }));
const IDS = ["a", "b", "c", "d", "host", "wide", "spare"];
const graph = (at: (id: string, i: number) => Position): DesignNode[] => IDS.map((id, i) => ({ id, kind: "graph-domain", position: at(id, i), config: {} }));

const s = () => useAppStore.getState();
const positionOf = (id: string) => s().nodes.find((n) => n.id === id)!.position;
const boxOf = (id: string) => ({ ...positionOf(id), ...sizeOf(id) });

/** Every pair among `ids` whose cards, at their drawn sizes, cover one another. */
function overlaps(ids: readonly string[]): string[] {
  const out: string[] = [];
  ids.forEach((a, i) => {
    for (const b of ids.slice(i + 1)) {
      const p = boxOf(a);
      const q = boxOf(b);
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) out.push(`${a}/${b}`);
    }
  });
  return out;
}

/** The edges among `ids` whose source is not wholly to the left of its target. */
const againstTheFlow = (ids: readonly string[]) =>
  EDGES.filter((e) => ids.includes(e.source) && ids.includes(e.target) && !(boxOf(e.source).x + sizeOf(e.source).width < boxOf(e.target).x)).map((e) => e.id);

const corner = (ids: readonly string[]) => ({ x: Math.min(...ids.map((id) => positionOf(id).x)), y: Math.min(...ids.map((id) => positionOf(id).y)) });

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
  useAppStore.setState({ edges: EDGES, selection: { nodes: [], edges: [] } });
});

describe("auto-layout of the whole design", () => {
  beforeEach(() => {
    // Every card on the same spot: nothing of the old places can keep them apart.
    useAppStore.setState({ nodes: graph(() => ({ x: 0, y: 0 })) });
  });

  it("leaves no two cards over one another, at their measured sizes or the default one", async () => {
    await layOut(flow);
    expect(overlaps(IDS)).toEqual([]);
  });

  it("puts what a node builds on to its left: every edge runs left to right", async () => {
    await layOut(flow);
    expect(againstTheFlow(IDS)).toEqual([]);
  });

  it("is one step of undo", async () => {
    const before = s().nodes;
    const steps = useAppStore.temporal.getState().pastStates.length;
    await layOut(flow);
    expect(useAppStore.temporal.getState().pastStates).toHaveLength(steps + 1);
    useAppStore.temporal.getState().undo();
    expect(s().nodes).toEqual(before);
  });
});

describe("auto-layout of some nodes", () => {
  const PART = ["b", "c", "d"];
  // Spread out, the part's cards piled up at and around (900, 500).
  const START: Record<string, Position> = { b: { x: 1000, y: 500 }, c: { x: 900, y: 560 }, d: { x: 950, y: 520 } };

  beforeEach(() => {
    useAppStore.setState({ nodes: graph((id, i) => START[id] ?? { x: i * 700, y: 1500 }) });
  });

  it("moves only those nodes", async () => {
    const others = s().nodes.filter((n) => !PART.includes(n.id));
    await layOut(flow, new Set(PART));
    expect(s().nodes.filter((n) => !PART.includes(n.id))).toEqual(others);
    for (const id of PART) expect(positionOf(id)).not.toEqual(START[id]);
  });

  it("keeps their top-left corner, and lays them out among themselves: apart, in the order data flows", async () => {
    await layOut(flow, new Set(PART));
    expect(corner(PART)).toEqual({ x: 900, y: 500 });
    expect(overlaps(PART)).toEqual([]);
    // b → d and c → d; the edges out of the part (a → b, d → host) have no say.
    expect(againstTheFlow(PART)).toEqual([]);
  });
});
