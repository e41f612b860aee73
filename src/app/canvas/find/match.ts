import { kindOf } from "../../../core/catalog/registry";
import type { DesignNode } from "../../../core/design/types";

/** How well a node answers a query: lower is better; null when it does not. */
function rank(node: DesignNode, q: string): number | null {
  const names = [node.id.toLowerCase(), (node.label ?? "").toLowerCase()];
  if (names.includes(q)) return 0;
  if (names.some((n) => n.startsWith(q))) return 1;
  if (names.some((n) => n.includes(q))) return 2;
  const kind = `${node.kind} ${kindOf(node.kind)?.label ?? ""}`.toLowerCase();
  return kind.includes(q) ? 3 : null;
}

/**
 * The nodes a find query names, best first: by id or label (whole, then start, then anywhere),
 * then by kind; in design order within each. An empty query lists every node. At most `limit`:
 * a list of a thousand is no help to the person, and costs a render per key.
 */
export function findNodes(nodes: readonly DesignNode[], query: string, limit: number): DesignNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return nodes.slice(0, limit);
  const ranked: { node: DesignNode; rank: number }[] = [];
  for (const node of nodes) {
    const r = rank(node, q);
    if (r !== null) ranked.push({ node, rank: r });
  }
  // Array.prototype.sort is stable: design order holds within a rank.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((r) => r.node);
}
