import { canonicalJson } from "./canonical";
import type { Design, DesignEdge, DesignNode } from "./types";

/**
 * Two versions of one design, node by node: what the merge dialog shows when two people saved
 * the same design, and what the versions dialog compares. A node's version is the node with the
 * edges into it (what it builds on belongs to it, as in `changes.ts`): taking a node from one
 * side takes what it builds on there too.
 */

export type Side = "mine" | "theirs";

export interface NodeDifference {
  readonly id: string;
  /** The node on each side; null where that side has no such node (never had it, or removed it). */
  readonly mine: DesignNode | null;
  readonly theirs: DesignNode | null;
  /** What the node builds on, by source id, on each side. */
  readonly mineSources: readonly string[];
  readonly theirsSources: readonly string[];
  /**
   * Who changed it since the common base: one side only (the other kept the base's version, so
   * taking the changed one loses nothing), or both (a person must choose). Without a base
   * nothing is known, and every difference is "both".
   */
  readonly changedBy: Side | "both";
  /** What the merge takes unless the person chooses otherwise: the side that changed it; mine when both did. */
  readonly suggested: Side;
  /** Only where it sits on the canvas differs: nothing the flake sees. */
  readonly movedOnly: boolean;
}

const sourcesOf = (design: Design, id: string): string[] =>
  design.edges
    .filter((e) => e.target === id)
    .map((e) => e.source)
    .sort();

/** The node and what it builds on, in one comparable text; "" for no node. */
function version(design: Design | null | undefined, id: string, where = true): string {
  const node = design?.nodes.find((n) => n.id === id);
  if (!node || !design) return "";
  return canonicalJson({ version: design.version, name: "", nodes: [where ? node : { ...node, position: { x: 0, y: 0 } }], edges: sourcesOf(design, id).map((s) => ({ id: s, source: s, target: id })) });
}

/**
 * Every node whose version differs between `mine` and `theirs`, in the order of mine (nodes only
 * theirs has after). With `base` (the revision both were made from) each difference says which
 * side changed it; a node both sides changed the same way is no difference.
 */
export function diffDesigns(mine: Design, theirs: Design, base?: Design | null): NodeDifference[] {
  const ids = [...new Set([...mine.nodes.map((n) => n.id), ...theirs.nodes.map((n) => n.id)])];
  const out: NodeDifference[] = [];
  for (const id of ids) {
    const m = version(mine, id);
    const t = version(theirs, id);
    if (m === t) continue;
    const b = base ? version(base, id) : undefined;
    const changedBy: NodeDifference["changedBy"] = b === undefined ? "both" : b === m ? "theirs" : b === t ? "mine" : "both";
    out.push({
      id,
      mine: mine.nodes.find((n) => n.id === id) ?? null,
      theirs: theirs.nodes.find((n) => n.id === id) ?? null,
      mineSources: sourcesOf(mine, id),
      theirsSources: sourcesOf(theirs, id),
      changedBy,
      suggested: changedBy === "theirs" ? "theirs" : "mine",
      movedOnly: version(mine, id, false) === version(theirs, id, false) && m !== "" && t !== "",
    });
  }
  return out;
}

/** The choices the merge takes when the person changes none: each difference's suggestion. */
export const suggestedChoices = (differences: readonly NodeDifference[]): Record<string, Side> => Object.fromEntries(differences.map((d) => [d.id, d.suggested]));

/**
 * The merged design: every node as `choices` says (a node not named there is the same on both
 * sides, or taken from mine), with the edges into it from the side it was taken from. An edge
 * from a node the merge leaves out is dropped with it. The name comes from mine; the notes and
 * the locks of both are kept (mine where both have one), so no one's note is lost by a merge.
 */
export function mergeDesigns(mine: Design, theirs: Design, choices: Readonly<Record<string, Side>>): Design {
  const sides = { mine, theirs };
  const ids = [...new Set([...mine.nodes.map((n) => n.id), ...theirs.nodes.map((n) => n.id)])];
  const from = (id: string): Design => sides[choices[id] ?? "mine"];
  const nodes: DesignNode[] = ids.flatMap((id) => from(id).nodes.filter((n) => n.id === id));
  const kept = new Set(nodes.map((n) => n.id));
  const edges: DesignEdge[] = nodes.flatMap((n) => from(n.id).edges.filter((e) => e.target === n.id && kept.has(e.source)));
  const locks = { ...theirs.locks, ...mine.locks };
  const mineNotes = new Set((mine.notes ?? []).map((n) => n.id));
  const notes = [...(mine.notes ?? []), ...(theirs.notes ?? []).filter((n) => !mineNotes.has(n.id))];
  return { ...mine, nodes, edges, ...(notes.length > 0 ? { notes } : {}), ...(Object.keys(locks).length > 0 ? { locks } : {}) };
}
