import { useMemo, useState } from "react";
import { diffDesigns, mergeDesigns, suggestedChoices, type Side } from "../../core/design/merge";
import { time } from "../derive/format";
import { button, primary } from "../deploy/styles";
import type { AppState, DesignConflict, HubConflict } from "../store/state";
import { Dialog } from "../ui/Dialog";
import { plural } from "../ui/text";
import { Differences } from "./Differences";
import { savedByText } from "./who";

type Keep = Parameters<AppState["resolveDesignConflict"]>[0];

/**
 * Someone saved the open design on the hub while this browser had changes the hub did not
 * have. Nothing was written over: load theirs, keep mine as a new design, or review the two
 * side by side and take each node from one or the other. Escape keeps both, as mine-as-copy.
 */
export function HubConflictDialog({ conflict, hub, onResolve }: { conflict: DesignConflict; hub: HubConflict; onResolve: (keep: Keep) => void }) {
  const [reviewing, setReviewing] = useState(false);
  const differences = useMemo(() => diffDesigns(conflict.mine, conflict.theirs, hub.base), [conflict, hub.base]);
  const [choices, setChoices] = useState<Record<string, Side>>(() => suggestedChoices(differences));
  return (
    <Dialog title="Someone else saved this design" onClose={() => onResolve("mine-as-copy")} wide={reviewing ? "widest" : undefined}>
      <div className="space-y-4 text-sm text-slate-700">
        <p>
          <span title={hub.savedBy.key}>{savedByText(hub.savedBy)}</span> saved “{conflict.theirs.name}” on the hub (revision {hub.revision}, {time(hub.savedAt)}) while you had changes not saved there yet
          {hub.basedOn > 0 ? `, made on revision ${hub.basedOn}` : ""}. Nothing was written over. {plural(differences.length, "node")} {differences.length === 1 ? "differs" : "differ"}.
        </p>
        {reviewing && (
          <section aria-label="Merge" className="space-y-2">
            <p className="text-slate-500">
              Choose each node's version. {hub.base ? "A node only one of you changed starts on that version." : "The revision your changes were made on is not known: every node starts on yours."}
            </p>
            <Differences differences={differences} left="Mine" right="Theirs" choices={choices} onChoose={(id, side) => setChoices((c) => ({ ...c, [id]: side }))} />
          </section>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={button} onClick={() => onResolve("mine-as-copy")}>
            Keep mine as a new design
          </button>
          <button type="button" className={button} onClick={() => onResolve("theirs")}>
            Load theirs
          </button>
          {reviewing ? (
            <button type="button" className={primary} onClick={() => onResolve({ merged: mergeDesigns(conflict.mine, conflict.theirs, choices) })}>
              Save the merge
            </button>
          ) : (
            <button type="button" autoFocus className={primary} onClick={() => setReviewing(true)}>
              Review and merge
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
