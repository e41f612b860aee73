import { memo, useEffect, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import type { SavedDesign } from "../store/library";
import { plural } from "../ui/text";
import { DESIGN_VERSION } from "../../core/design/types";
import { VersionsDialog } from "../designs/VersionsDialog";
import { savedByText } from "../designs/who";

/** Where a design stands with the hub, in words: who saved its revision there and when, or what is still owed. */
function hubLine(design: SavedDesign): string {
  const m = design.hub;
  if (!m || m.revision === 0) return "only in this browser: saved to the hub when it is reachable";
  const saved = `revision ${m.revision} on the hub, saved by ${savedByText(m.savedBy)}${m.savedAt ? ` ${new Date(m.savedAt).toLocaleString()}` : ""}`;
  if (m.behind) return `${saved}; someone saved revision ${m.behind} over your changes: open it to choose`;
  return m.pending ? `${saved}; changes here not on the hub yet` : saved;
}

const small = "rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50";

const Row = memo(function Row({ design, open, onOpened }: { design: SavedDesign; open: boolean; onOpened: () => void }) {
  const { openSavedDesign, duplicateDesign, renameDesign, deleteDesign } = useAppStore(
    useShallow((s) => ({ openSavedDesign: s.openSavedDesign, duplicateDesign: s.duplicateDesign, renameDesign: s.renameDesign, deleteDesign: s.deleteDesign })),
  );
  const [name, setName] = useState<string | null>(null);
  const [versions, setVersions] = useState(false);
  // Opening this design, or a copy of it, closes the list.
  const thenClose = (act: (id: string) => void) => () => {
    act(design.id);
    onOpened();
  };
  return (
    <li aria-label={design.name} className="flex items-center gap-2 py-2">
      {name === null ? (
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium text-slate-800">
            {design.name} {open && <span className="text-xs font-normal text-violet-700">(open)</span>}
          </p>
          <p className="text-xs text-slate-400">
            {plural(design.nodeCount, "node")} · saved {new Date(design.updatedAt).toLocaleString()}
          </p>
          <p className="text-xs text-slate-500" title={design.hub?.savedBy?.key}>
            {hubLine(design)}
          </p>
        </div>
      ) : (
        <form
          className="flex flex-1 gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) renameDesign(design.id, name.trim());
            setName(null);
          }}
        >
          <input aria-label={`New name for ${design.name}`} autoFocus className="flex-1 rounded border border-slate-300 px-2 py-0.5 text-sm" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className={small}>
            Save name
          </button>
        </form>
      )}
      {!open && (
        <button type="button" className={small} aria-label={`Open ${design.name}`} onClick={thenClose(openSavedDesign)}>
          Open
        </button>
      )}
      <button type="button" className={small} aria-label={`Rename ${design.name}`} onClick={() => setName(design.name)}>
        Rename
      </button>
      <button type="button" className={small} aria-label={`Duplicate ${design.name}`} onClick={thenClose(duplicateDesign)}>
        Duplicate
      </button>
      {(design.hub?.revision ?? 0) > 0 && (
        <button type="button" className={small} aria-label={`Versions of ${design.name}`} onClick={() => setVersions(true)}>
          Versions
        </button>
      )}
      {versions && <VersionsDialog designId={design.id} name={design.name} onClose={() => setVersions(false)} onRestored={onOpened} />}
      <button
        type="button"
        className={`${small} text-red-700`}
        aria-label={`Delete ${design.name}`}
        onClick={() => confirm(`Delete “${design.name}”${(design.hub?.revision ?? 0) > 0 ? " here and on the hub, for everyone" : ""}? This cannot be undone.`) && deleteDesign(design.id)}
      >
        Delete
      </button>
    </li>
  );
});

/** The designs kept in this browser, which hold every design on the hub (see hub/designSync.ts). */
export const DesignList = memo(function DesignList({ onOpened }: { onOpened: () => void }) {
  const { designs, designId, refreshDesigns, startDesign, problem } = useAppStore(
    useShallow((s) => ({ designs: s.designs, designId: s.designId, refreshDesigns: s.refreshDesigns, startDesign: s.startDesign, problem: s.designsProblem })),
  );
  useEffect(refreshDesigns, [refreshDesigns]);
  return (
    <div>
      <button
        type="button"
        className="mb-3 rounded bg-violet-600 px-3 py-1 text-sm text-white hover:bg-violet-700"
        onClick={() => {
          startDesign({ version: DESIGN_VERSION, name: "Untitled design", nodes: [], edges: [] });
          onOpened();
        }}
      >
        New design
      </button>
      {problem && (
        <p role="status" aria-label="Designs on the hub" className="mb-2 text-xs text-amber-800">
          {problem}
        </p>
      )}
      {designs.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing saved yet: your design is saved here as soon as you change it.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {designs.map((d) => (
            <Row key={d.id} design={d} open={d.id === designId} onOpened={onOpened} />
          ))}
        </ul>
      )}
    </div>
  );
});
