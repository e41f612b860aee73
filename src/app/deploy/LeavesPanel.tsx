import { memo } from "react";
import { leafState, type LeafRecord, type LeafState } from "../../core/protocol";
import { useAppStore } from "../store";
import type { AppState } from "../store/state";
import { time } from "../derive/format";
import { TONE } from "./styles";
import { useNow } from "../ui/useNow";

const COLUMNS = ["Leaf", "State", "Host", "Version", "Instances", "Running", "Last seen"];
/** One column grid for every row, so the columns line up without a table's layout. */
const GRID = "grid grid-cols-[7rem_7rem_minmax(0,1fr)_4rem_4.5rem_minmax(0,1.6fr)_4.5rem] items-center gap-x-2";
const CELL = "truncate";

/**
 * Every leaf of `cim_leaves`, live: state, host, version, instances, the deployment it runs, and
 * whether a failed rollback left it needing a person. A fleet beats 40 heartbeats a second, each
 * replacing one leaf's record (the watch keeps the others' objects), so:
 * - each row is memoised on its record and its state: a heartbeat renders that row alone;
 * - rows are ARIA rows of a grid, not of a <table>: a table lays out all its rows again when one
 *   cell's text changes, while a row of fixed height with `contain: strict` is laid out and
 *   painted on its own; `content-visibility: auto` skips painting the rows out of the panel's
 *   view (most of a fleet), which every frame's layerizing otherwise went through;
 * - the panel scrolls within the window rather than growing the page by hundreds of rows.
 */
export const LeavesPanel = memo(function LeavesPanel() {
  const leaves = useAppStore((s) => s.leaves);
  const openDeployment = useAppStore((s) => s.openDeployment);
  // A leaf that dies without saying so turns offline by its heartbeat's age alone.
  const now = useNow(1000);
  const list = Object.values(leaves).sort((a, b) => (a.leafId < b.leafId ? -1 : 1));
  return (
    <section aria-label="Leaves" className="absolute left-2 top-full z-30 mt-1 max-h-[calc(100vh-8rem)] w-[720px] overflow-auto rounded-lg border border-slate-200 bg-white p-3 text-xs shadow-xl">
      {list.length === 0 ? (
        <p className="text-slate-500">No leaf has registered with the hub yet: start an executor (`alchemist executor --leaf-id …`).</p>
      ) : (
        <div role="table" className="text-left">
          <div role="rowgroup">
            <div role="row" className={`${GRID} py-1 font-semibold text-slate-500`}>
              {COLUMNS.map((c) => (
                <span key={c} role="columnheader" className={CELL}>
                  {c}
                </span>
              ))}
            </div>
          </div>
          <div role="rowgroup">
            {list.map((leaf) => (
              <LeafRow key={leaf.leafId} leaf={leaf} state={leafState(leaf, now)} openDeployment={openDeployment} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
});

const LeafRow = memo(function LeafRow({ leaf, state, openDeployment }: { leaf: LeafRecord; state: LeafState; openDeployment: AppState["openDeployment"] }) {
  const attention = leaf.attention;
  const instances = leaf.instances.includes("*") ? "any" : leaf.instances.join(", ");
  return (
    <>
      <div role="row" aria-label={`Leaf ${leaf.leafId}`} className={`${GRID} h-7 border-t border-slate-100 [contain:strict] [content-visibility:auto]`}>
        <span role="cell" className={`${CELL} font-mono`} title={leaf.leafId}>
          {leaf.leafId}
        </span>
        <span role="cell">
          <span className={`rounded px-1.5 py-0.5 ${TONE[state]}`}>{state === "offline" ? "offline" : `online, ${state}`}</span>
        </span>
        <span role="cell" className={CELL} title={leaf.hostname}>
          {leaf.hostname}
        </span>
        <span role="cell" className={CELL} title={leaf.version}>
          {leaf.version}
        </span>
        <span role="cell" className={CELL} title={instances}>
          {instances}
        </span>
        <span role="cell" className={CELL}>
          {leaf.currentDeploymentId ? (
            <button type="button" className="max-w-full truncate font-mono text-violet-700 underline" title={leaf.currentDeploymentId} onClick={() => openDeployment(leaf.currentDeploymentId)}>
              {leaf.currentDeploymentId}
            </button>
          ) : (
            "—"
          )}
        </span>
        <span role="cell" className={CELL}>
          {time(leaf.lastSeen)}
        </span>
      </div>
      {attention && (
        <div role="row" aria-label={`Leaf ${leaf.leafId} needs attention`}>
          <span role="cell" className="block rounded bg-red-50 px-1 pb-1 text-red-800">
            <strong>Needs attention:</strong> rolling back{" "}
            <button type="button" className="font-mono underline" onClick={() => openDeployment(attention.deploymentId)}>
              {attention.deploymentId}
            </button>{" "}
            failed. {attention.reason}
          </span>
        </div>
      )}
    </>
  );
});
