import { create, type StoreApi, type UseBoundStore } from "zustand";
import { persist } from "zustand/middleware";
import { useStoreWithEqualityFn } from "zustand/traditional";
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

export type { AppState } from "./state";
export { currentDesign } from "./state";

/** One store: the state, its undo history (`temporal`) and its autosave. */
export type AppStore = UseBoundStore<StoreApi<AppState>> & { temporal: StoreApi<TemporalState<Tracked>>; autosave: Autosave };

/**
 * A store made of slices, with an autosave of its own. Undo (zundo) sees only nodes and edges;
 * persistence sees only the open design. Each call is a fresh page's store (the design last
 * open read back from localStorage), so a test makes one per page load it plays.
 */
export function createAppStore(): AppStore {
  const autosave = createAutosave({
    changed: (theirs) => store.setState({ designName: theirs.name, nodes: theirs.nodes, edges: theirs.edges }),
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
          partialize: (s): Tracked => ({ nodes: s.nodes, edges: s.edges }),
          equality: (a, b) => a.nodes === b.nodes && a.edges === b.edges,
          limit: 300,
        },
      ),
      {
        name: "alchemist.workspace",
        version: DESIGN_VERSION,
        storage: autosave.workspaceStorage,
        partialize: (s): Workspace => ({ designId: s.designId, designName: s.designName, nodes: s.nodes, edges: s.edges }),
      },
    ),
  );
  return Object.assign(store, { autosave });
}

/** The page's store. Components select what they need with useShallow. */
export const useAppStore = createAppStore();
if (typeof addEventListener === "function") useAppStore.autosave.listen();

export const undo = (): void => useAppStore.temporal.getState().undo();
export const redo = (): void => useAppStore.temporal.getState().redo();

/** Whether there is something to undo and to redo, for the toolbar buttons. */
export const useHistory = (): { canUndo: boolean; canRedo: boolean } =>
  useStoreWithEqualityFn(
    useAppStore.temporal,
    (t) => ({ canUndo: t.pastStates.length > 0, canRedo: t.futureStates.length > 0 }),
    (a, b) => a.canUndo === b.canUndo && a.canRedo === b.canRedo,
  );
