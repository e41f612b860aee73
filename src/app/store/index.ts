import { create } from "zustand";
import { persist } from "zustand/middleware";
import { useStoreWithEqualityFn } from "zustand/traditional";
import { temporal } from "zundo";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { createAnalysisSlice } from "./analysisSlice";
import { createConnectionSlice } from "./connectionSlice";
import { createDeploySlice } from "./deploySlice";
import { createDesignSlice } from "./designSlice";
import { newDesignId, setSaveErrorHandler, setTabHandlers, workspaceStorage, type Workspace } from "./library";
import { createLibrarySlice } from "./librarySlice";
import type { AppState, Tracked } from "./types";
import { createUiSlice } from "./uiSlice";

export type { AppState } from "./types";

/**
 * One store made of slices. Undo (zundo) sees only nodes and edges; persistence sees only the
 * open design. Components select what they need with useShallow.
 */
export const useAppStore = create<AppState>()(
  persist(
    temporal(
      (...a) => ({
        ...createConnectionSlice(...a),
        ...createDesignSlice(...a),
        ...createUiSlice(...a),
        ...createAnalysisSlice(...a),
        ...createLibrarySlice(...a),
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
      storage: workspaceStorage,
      partialize: (s): Workspace => ({ designId: s.designId, designName: s.designName, nodes: s.nodes, edges: s.edges }),
    },
  ),
);

setSaveErrorHandler((message) => useAppStore.getState().setNotice({ tone: "error", title: "Not saved", lines: [message] }));
setTabHandlers({
  changed: (theirs) => useAppStore.setState({ designName: theirs.name, nodes: theirs.nodes, edges: theirs.edges }),
  conflict: (theirs, mine) => useAppStore.getState().setDesignConflict({ theirs, mine }),
});

/** The open design as a design file. */
export const currentDesign = (s: AppState = useAppStore.getState()): Design => ({
  version: DESIGN_VERSION,
  name: s.designName,
  nodes: s.nodes,
  edges: s.edges,
});

const history = () => useAppStore.temporal.getState();
export const undo = (): void => history().undo();
export const redo = (): void => history().redo();

/** Whether there is something to undo and to redo, for the toolbar buttons. */
export const useHistory = (): { canUndo: boolean; canRedo: boolean } =>
  useStoreWithEqualityFn(
    useAppStore.temporal,
    (t) => ({ canUndo: t.pastStates.length > 0, canRedo: t.futureStates.length > 0 }),
    (a, b) => a.canUndo === b.canUndo && a.canRedo === b.canRedo,
  );
