import { loadDesignShape } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import { acceptStored, flushSave, listDesigns, newDesignId, readDesign, removeDesign, saveDesign, type SavedDesign } from "./library";
import { historyOf, type SliceCreator } from "./types";

export interface LibrarySlice {
  /** Every design saved in this browser, most recently changed first. */
  designs: readonly SavedDesign[];
  refreshDesigns: () => void;
  /** Opens `design` (a template, an import, or an empty one) as a new entry of the list. */
  startDesign: (design: Design) => void;
  openSavedDesign: (id: string) => void;
  duplicateDesign: (id: string) => void;
  renameDesign: (id: string, name: string) => void;
  deleteDesign: (id: string) => void;
  /** Another tab saved the open design while this one had unsaved changes: both versions, until the person chooses. */
  designConflict: { theirs: Design; mine: Design } | null;
  setDesignConflict: (conflict: { theirs: Design; mine: Design } | null) => void;
  /** Takes the other tab's version (this tab's changes dropped), or keeps this tab's as a new copy (theirs stays). */
  resolveDesignConflict: (keep: "theirs" | "mine-as-copy") => void;
}

const EMPTY: Design = { version: 1, name: "Untitled design", nodes: [], edges: [] };

export const createLibrarySlice: SliceCreator<LibrarySlice> = (set, get, api) => {
  /** Replaces the open design; its history belongs to the design it came from. */
  const open = (designId: string, design: Design) => {
    flushSave();
    // A new design left as it came (nothing on it, never named) is not worth a place in the list.
    if (get().nodes.length === 0 && get().designName === EMPTY.name) removeDesign(get().designId);
    set({ designId, designName: design.name, nodes: design.nodes, edges: design.edges, selection: { nodes: [], edges: [] }, focus: null });
    historyOf(api).getState().clear();
    flushSave();
    set({ designs: listDesigns() });
  };
  const stored = (id: string): Design | null => loadDesignShape(readDesign(id)).design;
  const current = (): Design => ({ version: 1, name: get().designName, nodes: get().nodes, edges: get().edges });

  return {
    designs: [],
    refreshDesigns: () => {
      flushSave();
      set({ designs: listDesigns() });
    },
    startDesign: (design) => open(newDesignId(), design),
    openSavedDesign: (id) => {
      const design = stored(id);
      if (design) open(id, design);
      else get().setNotice({ tone: "error", title: "This saved design cannot be opened", lines: ["Its stored copy is damaged or was written by a newer Alchemist."] });
    },
    duplicateDesign: (id) => {
      const design = id === get().designId ? current() : stored(id);
      if (design) open(newDesignId(), { ...design, name: `${design.name} (copy)` });
    },
    renameDesign: (id, name) => {
      if (id === get().designId) {
        set({ designName: name });
        flushSave();
      } else {
        const design = stored(id);
        if (design) saveDesign(id, { ...design, name });
      }
      set({ designs: listDesigns() });
    },
    designConflict: null,
    setDesignConflict: (designConflict) => set({ designConflict }),
    resolveDesignConflict: (keep) => {
      const conflict = get().designConflict;
      if (!conflict) return;
      set({ designConflict: null });
      if (keep === "theirs") set({ designName: conflict.theirs.name, nodes: conflict.theirs.nodes, edges: conflict.theirs.edges });
      // Either way the entry stays the other tab's save: the autosave every update above set off
      // (of this tab's version, over it) is dropped, or opening the copy would ask again.
      acceptStored(get().designId);
      if (keep !== "theirs") open(newDesignId(), { ...conflict.mine, name: `${conflict.mine.name} (this tab's copy)` });
    },
    deleteDesign: (id) => {
      flushSave();
      removeDesign(id);
      if (id === get().designId) {
        const next = listDesigns()[0];
        const design = next ? stored(next.id) : null;
        if (next && design) open(next.id, design);
        else open(newDesignId(), EMPTY);
      }
      set({ designs: listDesigns() });
    },
  };
};
