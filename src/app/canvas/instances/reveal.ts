import { useAppStore } from "../../store";
import { instancesOf } from "../../derive/instances";
import { collapsedIn, setCollapsed } from "./collapsed";
import { glance } from "./glance";

/**
 * Opens the collapsed instance each of these nodes is folded into: a node found (Ctrl+K) or whose
 * problem is clicked is wanted in sight. Called before the node is selected, in the same event,
 * so the canvas draws it and selects it in one render: selecting a node React Flow does not have
 * makes it report an empty selection, which then chases the store's.
 */
export function reveal(...nodeIds: string[]): void {
  const s = useAppStore.getState();
  const collapsed = collapsedIn(s.designId);
  if (collapsed.size === 0) return;
  const { foldedInto } = glance(s.nodes.map((n) => n.id), instancesOf(s), [], collapsed);
  const owners = new Set(nodeIds.flatMap((id) => foldedInto.get(id)?.slice(0, 1) ?? []));
  for (const owner of owners) setCollapsed(s.designId, owner, false);
}
