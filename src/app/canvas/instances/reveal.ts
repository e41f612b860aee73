import { useAppStore } from "../../store";
import type { AppState } from "../../store/state";
import { instancesOf } from "../../derive/instances";
import { collapsedIn, setCollapsed } from "./collapsed";
import { glance, type Glance } from "./glance";

/** What the open design's collapsed instances fold away now; null when none is collapsed. */
function folded(s: AppState): Glance | null {
  const collapsed = collapsedIn(s.designId);
  return collapsed.size === 0 ? null : glance(s.nodes.map((n) => n.id), instancesOf(s), [], collapsed);
}

/**
 * Opens the collapsed instance each of these nodes is folded into: a node found (Ctrl+K) or whose
 * problem is clicked is wanted in sight. Called before the node is selected, in the same event,
 * so the canvas draws it and selects it in one render: selecting a node React Flow does not have
 * makes it report an empty selection, which then chases the store's.
 */
export function reveal(...nodeIds: string[]): void {
  const s = useAppStore.getState();
  const g = folded(s);
  if (!g) return;
  const owners = new Set(nodeIds.flatMap((id) => g.foldedInto.get(id)?.slice(0, 1) ?? []));
  for (const owner of owners) setCollapsed(s.designId, owner, false);
}

/**
 * The nodes the canvas draws, in design order: what Ctrl+A selects. A member folded into a
 * collapsed instance is left out, as React Flow does not have it: a selection holding it would
 * be one the canvas cannot show, count or delete.
 */
export function drawnNodes(): string[] {
  const s = useAppStore.getState();
  const ids = s.nodes.map((n) => n.id);
  const hidden = folded(s)?.hidden;
  return hidden ? ids.filter((id) => !hidden.has(id)) : ids;
}
