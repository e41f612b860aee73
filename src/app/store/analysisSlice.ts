import { hasErrors } from "../../core/validate/diagnostic";
import type { DesignEdge, DesignNode, DesignNote } from "../../core/design/types";
import type { Analysis, AnalysisSlice, SliceCreator } from "./state";

/** Whether the analysis is of the design as it is now, not of one the worker is still catching up with. */
export const analysisIsCurrent = (s: { analysis: Analysis; nodes: readonly DesignNode[]; edges: readonly DesignEdge[]; notes: readonly DesignNote[]; designName: string }): boolean =>
  s.analysis.nodes === s.nodes && s.analysis.edges === s.edges && s.analysis.notes === s.notes && s.analysis.name === s.designName;

export const createAnalysisSlice: SliceCreator<AnalysisSlice> = (set) => ({
  analysis: { nodes: [], edges: [], name: "", notes: [], diagnostics: [], files: {}, emitted: {}, emittedBy: null },
  lastFiles: {},
  setAnalysis: (analysis) =>
    set((s) => ({ analysis, lastFiles: hasErrors(analysis.diagnostics) ? s.lastFiles : analysis.files })),
});
