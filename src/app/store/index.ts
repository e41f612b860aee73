import { useStoreWithEqualityFn } from "zustand/traditional";
import { createAppStore } from "./create";

export type { AppState } from "./state";
export { currentDesign } from "./state";

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
