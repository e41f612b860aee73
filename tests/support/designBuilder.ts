import { DESIGN_VERSION, type Design, type DesignNode } from "../../src/core/design/types";

/** Test designs in one line each: `build({ host: ["cim-instance", {...}] }, [["nats", "host"]])`. */
export function build(
  nodes: Record<string, [kind: string, config?: Record<string, unknown>]>,
  edges: readonly (readonly [string, string])[] = [],
  name = "test",
): Design {
  const list: DesignNode[] = Object.entries(nodes).map(([id, [kind, config = {}]], i) => ({
    id,
    kind,
    position: { x: i * 10, y: 0 },
    config,
  }));
  return {
    version: DESIGN_VERSION,
    name,
    nodes: list,
    edges: edges.map(([source, target]) => ({ id: `${source}->${target}`, source, target })),
  };
}

/** The same design with nodes, edges and config keys in another order (a seeded shuffle). */
export function shuffled(design: Design, seed: number): Design {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const reorder = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reorder);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(shuffle(Object.entries(v)).map(([k, x]) => [k, reorder(x)]));
  };
  return { ...design, nodes: shuffle(design.nodes).map((n) => reorder(n) as DesignNode), edges: shuffle(design.edges) };
}
