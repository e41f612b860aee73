import { useAppStore } from "../store";
import { Confirm } from "../ui/Confirm";
import { HubConflictDialog } from "../designs/HubConflictDialog";

/**
 * Another tab (or someone on the hub: HubConflictDialog) saved this design while this one had changes not saved yet. Neither is written
 * over without the person's word; Escape keeps both (this tab's as a copy).
 */
export function DesignConflict() {
  const conflict = useAppStore((s) => s.designConflict);
  const resolve = useAppStore((s) => s.resolveDesignConflict);
  if (!conflict) return null;
  if (conflict.hub) return <HubConflictDialog conflict={conflict} hub={conflict.hub} onResolve={resolve} />;
  return (
    <Confirm title="This design changed in another tab" confirm="Load the other tab's version" cancel="Keep mine as a copy" onAnswer={(yes) => resolve(yes ? "theirs" : "mine-as-copy")}>
      <p>
        Another tab saved “{conflict.theirs.name}” while this tab had changes not saved yet. Nothing was written over: load the other tab's version (this tab's changes are dropped), or keep
        this tab's as a new design beside it.
      </p>
    </Confirm>
  );
}
