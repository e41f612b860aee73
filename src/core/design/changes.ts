import { canonicalJson } from "./canonical";
import type { Design, DesignNode } from "./types";

export interface NodeChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

type Incoming = ReadonlyMap<string, { id: string; source: string; target: string }[]>;

function incomingEdges(design: Design): Incoming {
  const into = new Map<string, { id: string; source: string; target: string }[]>();
  for (const e of design.edges) {
    const list = into.get(e.target) ?? [];
    list.push({ id: e.source, source: e.source, target: e.target });
    into.set(e.target, list);
  }
  return into;
}

/** What a node means to the flake: its kind, its settings and what it builds on (not where it sits on the canvas). */
function meaning(node: DesignNode, design: Design, incoming: Incoming): string {
  // The node alone with the edges into it, at a fixed place, in canonical form (sorted keys).
  return canonicalJson({ version: design.version, name: "", nodes: [{ ...node, position: { x: 0, y: 0 } }], edges: incoming.get(node.id) ?? [] });
}

/**
 * The nodes that differ between a deployed design and the current one: the "undeployed
 * changes" marks on the canvas and the node list of the deploy review.
 */
export function changedNodes(deployed: Design | null, current: Design): NodeChanges {
  const into = deployed ? incomingEdges(deployed) : new Map();
  const before = new Map((deployed?.nodes ?? []).map((n) => [n.id, meaning(n, deployed!, into)]));
  const out: NodeChanges = { added: [], changed: [], removed: [] };
  const intoNow = incomingEdges(current);
  for (const node of current.nodes) {
    const was = before.get(node.id);
    if (was === undefined) out.added.push(node.id);
    else if (was !== meaning(node, current, intoNow)) out.changed.push(node.id);
    before.delete(node.id);
  }
  out.removed = [...before.keys()];
  for (const list of Object.values(out)) list.sort();
  return out;
}
