import { memo, useEffect, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useAppStore } from "../store";
import type { SavedDesign } from "../store/library";
import { plural } from "../ui/text";
import { DESIGN_VERSION } from "../../core/design/types";

const small = "rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50";

const Row = memo(function Row({ design, open, onOpened }: { design: SavedDesign; open: boolean; onOpened: () => void }) {
  const { openSavedDesign, duplicateDesign, renameDesign, deleteDesign } = useAppStore(
    useShallow((s) => ({ openSavedDesign: s.openSavedDesign, duplicateDesign: s.duplicateDesign, renameDesign: s.renameDesign, deleteDesign: s.deleteDesign })),
  );
  const [name, setName] = useState<string | null>(null);
  // Opening this design, or a copy of it, closes the list.
  const thenClose = (act: (id: string) => void) => () => {
    act(design.id);
    onOpened();
  };
  return (
    <li className="flex items-center gap-2 py-2">
      {name === null ? (
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium text-slate-800">
            {design.name} {open && <span className="text-xs font-normal text-violet-700">(open)</span>}
          </p>
          <p className="text-xs text-slate-400">
            {plural(design.nodeCount, "node")} · saved {new Date(design.updatedAt).toLocaleString()}
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
      <button type="button" className={`${small} text-red-700`} aria-label={`Delete ${design.name}`} onClick={() => confirm(`Delete “${design.name}”? This cannot be undone.`) && deleteDesign(design.id)}>
        Delete
      </button>
    </li>
  );
});

/** The designs kept in this browser. */
export const DesignList = memo(function DesignList({ onOpened }: { onOpened: () => void }) {
  const { designs, designId, refreshDesigns, startDesign } = useAppStore(
    useShallow((s) => ({ designs: s.designs, designId: s.designId, refreshDesigns: s.refreshDesigns, startDesign: s.startDesign })),
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
