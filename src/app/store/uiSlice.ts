import type { SliceCreator, UiSlice } from "./state";

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  selection: { nodes: [], edges: [] },
  focus: null,
  notice: null,
  bottomTab: "problems",
  viewCenter: { x: 0, y: 0 },
  select: (selection) => set({ selection }),
  focusNode: (nodeId, field) =>
    set((s) => ({ selection: { nodes: [nodeId], edges: [] }, focus: { nodeId, ...(field ? { field } : {}), seq: (s.focus?.seq ?? 0) + 1 } })),
  setNotice: (notice) => set({ notice }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  setViewCenter: (viewCenter) => set({ viewCenter }),
});
