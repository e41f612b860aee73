import type { DesignEdge } from "../../../core/design/types";

/** An instance as the canvas reads it: its node and the nodes it builds on (core/design/instances). */
export interface InstanceMembers {
  readonly nodeId: string;
  /** The instance node and every node with a path to it. */
  readonly members: readonly string[];
}

/** What the canvas shows of the design's instances, for a selection and the instances collapsed. */
export interface Glance {
  /** Nodes not drawn: every instance they belong to is collapsed. */
  readonly hidden: ReadonlySet<string>;
  /** Nodes drawn faint: an instance is selected and they are in none of the selected ones. */
  readonly dimmed: ReadonlySet<string>;
  /** Per collapsed instance, how many of its members are hidden (those another expanded instance shares stay). */
  readonly hiddenCount: ReadonlyMap<string, number>;
  /** Per hidden node, the collapsed instances it belongs to: the cards its edges are drawn to. */
  readonly foldedInto: ReadonlyMap<string, readonly string[]>;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Which nodes a selection highlights and which the collapsed instances hide. Selecting an
 * instance highlights its members and dims the rest; a node is hidden only when every instance
 * it belongs to is collapsed, so a member two instances share stays while one of them is open.
 * An instance node itself is never hidden: it is the card the collapsed members fold into.
 */
export function glance(nodeIds: readonly string[], instances: readonly InstanceMembers[], selected: readonly string[], collapsed: ReadonlySet<string>): Glance {
  const isInstance = new Set(instances.map((i) => i.nodeId));
  const of = new Map<string, string[]>();
  for (const i of instances) {
    for (const m of i.members) if (!isInstance.has(m)) of.set(m, [...(of.get(m) ?? []), i.nodeId]);
  }
  const hidden = new Set<string>();
  const foldedInto = new Map<string, readonly string[]>();
  for (const [m, owners] of of) {
    if (owners.every((o) => collapsed.has(o))) {
      hidden.add(m);
      foldedInto.set(m, owners);
    }
  }
  const hiddenCount = new Map<string, number>();
  for (const i of instances) if (collapsed.has(i.nodeId)) hiddenCount.set(i.nodeId, i.members.filter((m) => hidden.has(m)).length);

  const chosen = instances.filter((i) => selected.includes(i.nodeId));
  let dimmed = NONE;
  if (chosen.length > 0) {
    const lit = new Set(chosen.flatMap((i) => i.members));
    dimmed = new Set(nodeIds.filter((id) => !lit.has(id)));
  }
  return { hidden, dimmed, hiddenCount, foldedInto };
}

/**
 * The edges as drawn: an edge to or from a hidden member goes to its instance's card instead
 * (the first of them, for a member of several), and one that would join a card to itself
 * (inside a collapsed instance) is not drawn.
 */
export function glanceEdges<E extends DesignEdge>(edges: readonly E[], g: Pick<Glance, "foldedInto">): E[] {
  if (g.foldedInto.size === 0) return edges as E[];
  // The card of the other end's, when there is one: a member's edge inside its instances stays inside.
  const end = (id: string, other: string) => {
    const into = g.foldedInto.get(id);
    if (into === undefined) return id;
    const theirs = g.foldedInto.get(other) ?? [other];
    return into.find((i) => theirs.includes(i)) ?? into[0]!;
  };
  const out: E[] = [];
  for (const e of edges) {
    const source = end(e.source, e.target);
    const target = end(e.target, e.source);
    if (source === target) continue;
    out.push(source === e.source && target === e.target ? e : { ...e, source, target });
  }
  return out;
}
