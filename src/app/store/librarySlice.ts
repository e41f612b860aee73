import { loadDesignShape } from "../../core/design/load";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { hubMark, keepFromHub, listDesigns, newDesignId, readDesign, removeDesign, saveDesign, setHubMark, type Autosave, type HubMark } from "./library";
import { currentDesign, historyOf, type LibrarySlice, type SliceCreator } from "./state";


const EMPTY: Design = { version: DESIGN_VERSION, name: "Untitled design", nodes: [], edges: [] };

/** The design list's actions, over the store's own autosave. */
export const createLibrarySlice = ({ flushSave, acceptStored }: Autosave): SliceCreator<LibrarySlice> => (set, get, api) => {
  /** Replaces the open design; its history belongs to the design it came from. */
  const open = (designId: string, design: Design) => {
    flushSave();
    // A new design left as it came (nothing on it, never named) is not worth a place in the list.
    if (get().nodes.length === 0 && get().designName === EMPTY.name) removeDesign(get().designId);
    set({ designId, designName: design.name, nodes: design.nodes, edges: design.edges, notes: design.notes ?? [], locks: design.locks ?? {}, selection: { nodes: [], edges: [] }, focus: null });
    historyOf(api).getState().clear();
    flushSave();
    set({ designs: listDesigns() });
  };
  const stored = (id: string): Design | null => loadDesignShape(readDesign(id)).design;
  const show = (d: Design) => set({ designName: d.name, nodes: d.nodes, edges: d.edges, notes: d.notes ?? [], locks: d.locks ?? {} });
  /** The open design becomes `design`, saved at once as the person's change; `note` goes with its save to the hub. */
  const replace = (design: Design, note: string) => {
    show(design);
    flushSave();
    const mark: HubMark = hubMark(get().designId);
    if (mark.pending) setHubMark(get().designId, { ...mark, note });
  };

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
      const design = id === get().designId ? currentDesign(get()) : stored(id);
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
      const { hub } = conflict;
      // A hub conflict: theirs becomes this browser's copy, in step with the hub, whatever is kept.
      if (hub) keepFromHub(get().designId, conflict.theirs, { revision: hub.revision, savedBy: hub.savedBy, savedAt: hub.savedAt });
      if (keep !== "mine-as-copy" || hub) show(conflict.theirs);
      // Either way the entry stays the other's save: the autosave every update above set off
      // (of this tab's version, over it) is dropped, or opening the copy would ask again.
      acceptStored(get().designId);
      if (typeof keep === "object") replace(keep.merged, `merged with ${hub?.savedBy.name ?? "another tab"}'s revision ${hub?.revision ?? ""}`.trim());
      else if (keep === "mine-as-copy") open(newDesignId(), { ...conflict.mine, name: `${conflict.mine.name} (${hub ? "my copy" : "this tab's copy"})` });
      set({ designs: listDesigns() });
    },
    takeHubRevision: (id, design, mark) => {
      keepFromHub(id, design, mark);
      if (id === get().designId) {
        show(design);
        acceptStored(id);
      }
      set({ designs: listDesigns() });
    },
    replaceOpenDesign: (design, note) => replace(design, note),
    designsProblem: null,
    setDesignsProblem: (designsProblem) => get().designsProblem !== designsProblem && set({ designsProblem }),
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
