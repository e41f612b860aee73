import { predecessors } from "../graph";
import { canonicalJson } from "./canonical";
import type { Design, DesignNode } from "./types";

export interface NodeChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What a node means to the flake: its kind, its settings and what it builds on (not where it sits on the canvas, nor its label). */
function meaning({ label: _, ...node }: DesignNode, design: Design, sources: ReadonlyMap<string, readonly string[]>): string {
  // The node alone with the edges into it, at a fixed place, in canonical form (sorted keys).
  const incoming = (sources.get(node.id) ?? []).map((source) => ({ id: source, source, target: node.id }));
  return canonicalJson({ version: design.version, name: "", nodes: [{ ...node, position: { x: 0, y: 0 } }], edges: incoming });
}

/**
 * The nodes that differ between a deployed design and the current one: the "undeployed
 * changes" marks on the canvas and the node list of the deploy review.
 */
export function changedNodes(deployed: Design | null, current: Design): NodeChanges {
  const sourcesThen = predecessors(deployed?.edges ?? []);
  const before = new Map((deployed?.nodes ?? []).map((n) => [n.id, meaning(n, deployed!, sourcesThen)]));
  const sourcesNow = predecessors(current.edges);
  const out: NodeChanges = { added: [], changed: [], removed: [] };
  for (const node of current.nodes) {
    const was = before.get(node.id);
    if (was === undefined) out.added.push(node.id);
    else if (was !== meaning(node, current, sourcesNow)) out.changed.push(node.id);
    before.delete(node.id);
  }
  out.removed = [...before.keys()];
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** The changes that concern one instance: added and changed among its members now, removed among its members then. */
export function changesWithin(all: NodeChanges, membersNow: readonly string[], membersThen: ReadonlySet<string>): NodeChanges {
  const now = new Set(membersNow);
  return { added: all.added.filter((id) => now.has(id)), changed: all.changed.filter((id) => now.has(id)), removed: all.removed.filter((id) => membersThen.has(id)) };
}
