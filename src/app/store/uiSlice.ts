import type { Position } from "../../core/design/types";
import type { SliceCreator } from "./types";

export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

/** A request to bring a node (and one of its inputs) into view; `seq` makes a repeat click count. */
export interface Focus {
  readonly nodeId: string;
  readonly field?: string;
  readonly seq: number;
}

/** A message for the person: why an edge was refused, why an import failed, what was saved. */
export interface Notice {
  readonly tone: "error" | "info";
  readonly title: string;
  readonly lines: readonly string[];
}

export type BottomTab = "problems" | "preview";

export interface UiSlice {
  selection: Selection;
  focus: Focus | null;
  notice: Notice | null;
  bottomTab: BottomTab;
  /** The centre of the visible canvas in flow coordinates, where a clicked palette item lands. */
  viewCenter: Position;
  select: (selection: Selection) => void;
  focusNode: (nodeId: string, field?: string) => void;
  setNotice: (notice: Notice | null) => void;
  setBottomTab: (tab: BottomTab) => void;
  setViewCenter: (center: Position) => void;
}

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
