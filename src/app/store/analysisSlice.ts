import type { FlakeFiles } from "../../core/compile";
import { hasErrors, type Diagnostic } from "../../core/validate/diagnostic";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import type { SliceCreator } from "./types";

/** What the compiler says about the design, produced off the main thread (see compile/useCompiler). */
export interface Analysis {
  /** The nodes and edges this analysis is about; when they are not the store's, a newer one is on its way. */
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
  /** The design name it was compiled with (it is in alchemist.json, README.md and the hash). */
  readonly name: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Empty while the design has errors. */
  readonly files: FlakeFiles;
  /** For the selected node: per file, the 1-based lines that exist only because of it. */
  readonly emitted: Readonly<Record<string, readonly number[]>>;
  readonly emittedBy: string | null;
}

/** Whether the analysis is of the design as it is now, not of one the worker is still catching up with. */
export const analysisIsCurrent = (s: { analysis: Analysis; nodes: readonly DesignNode[]; edges: readonly DesignEdge[]; designName: string }): boolean =>
  s.analysis.nodes === s.nodes && s.analysis.edges === s.edges && s.analysis.name === s.designName;

export interface AnalysisSlice {
  analysis: Analysis;
  /** The last flake that compiled, kept on screen while errors block a new one. */
  lastFiles: FlakeFiles;
  setAnalysis: (analysis: Analysis) => void;
}

export const createAnalysisSlice: SliceCreator<AnalysisSlice> = (set) => ({
  analysis: { nodes: [], edges: [], name: "", diagnostics: [], files: {}, emitted: {}, emittedBy: null },
  lastFiles: {},
  setAnalysis: (analysis) =>
    set((s) => ({ analysis, lastFiles: hasErrors(analysis.diagnostics) ? s.lastFiles : analysis.files })),
});
