import type { DesignEdge, DesignNode, Position } from "../../core/design/types";
import { useAppStore } from "../store";

// Ctrl+V sets the copies this far from the originals, so both stay in sight.
const PASTE_OFFSET = { x: 40, y: 40 };

// The page's own clipboard: nodes are design data, not text another program could use.
let held: { nodes: readonly DesignNode[]; edges: readonly DesignEdge[] } | null = null;

/** Keeps the selected nodes and the connections among them for a paste. */
export function copySelection(): void {
  const { nodes, edges, selection } = useAppStore.getState();
  const picked = new Set(selection.nodes);
  if (picked.size > 0) held = { nodes: nodes.filter((n) => picked.has(n.id)), edges: edges.filter((e) => picked.has(e.source) && picked.has(e.target)) };
}

export const canPaste = (): boolean => held !== null;

/** Adds copies of what was copied: beside the originals, or with their top-left corner at `at`. */
export function paste(at?: Position): void {
  if (!held) return;
  const corner = { x: Math.min(...held.nodes.map((n) => n.position.x)), y: Math.min(...held.nodes.map((n) => n.position.y)) };
  useAppStore.getState().pasteNodes(held.nodes, held.edges, at ? { x: at.x - corner.x, y: at.y - corner.y } : PASTE_OFFSET);
}
