import type { DesignEdge, DesignNode, Position } from "../../core/design/types";
import { useAppStore } from "../store";

// Ctrl+V and Duplicate set the copies this far from the originals, so both stay in sight.
const PASTE_OFFSET = { x: 40, y: 40 };

type Part = { readonly nodes: readonly DesignNode[]; readonly edges: readonly DesignEdge[] };

// The page's own clipboard: nodes are design data, not text another program could use.
let held: Part | null = null;

/** The nodes `ids` and the connections among them: what a copy or a duplicate takes. */
function partOf(ids: readonly string[]): Part {
  const { nodes, edges } = useAppStore.getState();
  const picked = new Set(ids);
  return { nodes: nodes.filter((n) => picked.has(n.id)), edges: edges.filter((e) => picked.has(e.source) && picked.has(e.target)) };
}

/** Keeps the selected nodes and the connections among them for a paste. */
export function copySelection(): void {
  const part = partOf(useAppStore.getState().selection.nodes);
  if (part.nodes.length > 0) held = part;
}

export const canPaste = (): boolean => held !== null;

/** Adds copies of what was copied: beside the originals, or with their top-left corner at `at`. */
export function paste(at?: Position): void {
  if (!held) return;
  const corner = { x: Math.min(...held.nodes.map((n) => n.position.x)), y: Math.min(...held.nodes.map((n) => n.position.y)) };
  useAppStore.getState().pasteNodes(held.nodes, held.edges, at ? { x: at.x - corner.x, y: at.y - corner.y } : PASTE_OFFSET);
}

/** A copy and paste in one step that leaves the clipboard as it was; the copies' ids, selected. */
export function duplicateNodes(ids: readonly string[]): string[] {
  const { nodes, edges } = partOf(ids);
  return useAppStore.getState().pasteNodes(nodes, edges, PASTE_OFFSET);
}
