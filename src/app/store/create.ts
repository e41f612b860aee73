import { create, type StoreApi, type UseBoundStore } from "zustand";
import { persist } from "zustand/middleware";
import { temporal, type TemporalState } from "zundo";
import { DESIGN_VERSION } from "../../core/design/types";
import { createAnalysisSlice } from "./analysisSlice";
import { createConnectionSlice } from "./connectionSlice";
import { createDeploySlice } from "./deploySlice";
import { createDesignSlice } from "./designSlice";
import { createAutosave, newDesignId, type Autosave, type Workspace } from "./library";
import { createLibrarySlice } from "./librarySlice";
import type { AppState, Tracked } from "./state";
import { createUiSlice } from "./uiSlice";

/** One store: the state, its undo history (`temporal`) and its autosave. */
export type AppStore = UseBoundStore<StoreApi<AppState>> & { temporal: StoreApi<TemporalState<Tracked>>; autosave: Autosave };

/**
 * A store made of slices, with an autosave of its own. Undo (zundo) sees only nodes and edges;
 * persistence sees only the open design. Each call is a fresh page's store (the design last
 * open read back from localStorage), so a test makes one per page load it plays.
 */
export function createAppStore(): AppStore {
  const autosave = createAutosave({
    changed: (theirs) => store.setState({ designName: theirs.name, nodes: theirs.nodes, edges: theirs.edges, notes: theirs.notes ?? [], locks: theirs.locks ?? {} }),
    conflict: (theirs, mine) => store.getState().setDesignConflict({ theirs, mine }),
    saveFailed: (message) => store.getState().setNotice({ tone: "error", title: "Not saved", lines: [message] }),
  });
  const store = create<AppState>()(
    persist(
      temporal(
        (...a) => ({
          ...createConnectionSlice(...a),
          ...createDesignSlice(...a),
          ...createUiSlice(...a),
          ...createAnalysisSlice(...a),
          ...createLibrarySlice(autosave)(...a),
          ...createDeploySlice(...a),
          designId: newDesignId(),
        }),
        {
          partialize: (s): Tracked => ({ nodes: s.nodes, edges: s.edges, notes: s.notes }),
          equality: (a, b) => a.nodes === b.nodes && a.edges === b.edges && a.notes === b.notes,
          limit: 300,
        },
      ),
      {
        name: "alchemist.workspace",
        version: DESIGN_VERSION,
        storage: autosave.workspaceStorage,
        partialize: (s): Workspace => ({ designId: s.designId, designName: s.designName, nodes: s.nodes, edges: s.edges, notes: s.notes, locks: s.locks }),
      },
    ),
  );
  return Object.assign(store, { autosave });
}
