import type { StateCreator, StoreApi } from "zustand";
import type { TemporalState } from "zundo";
import type { FlakeFiles } from "../../core/compile";
import { DESIGN_VERSION, type Design, type DesignEdge, type DesignNode, type DesignNote, type Position } from "../../core/design/types";
import type { DeploymentSummary, DeploymentView, LeafRecord } from "../../core/protocol";
import type { Diagnostic } from "../../core/validate/diagnostic";
import type { ConnectResult } from "../design/edit";
import type { HubMark, SavedDesign } from "./library";

/**
 * The shape of the app's state: every slice's fields and actions, and the types they hold. The
 * slices (`*Slice.ts`) implement them and import this file; it imports none of them, so the
 * store has no import circle.
 */

/** `unauthorized`: the hub refused the login (or the lack of one); retrying cannot help. */
export type HubState = "connecting" | "connected" | "reconnecting" | "offline" | "unauthorized";

export interface HubStatus {
  state: HubState;
  url: string;
  /** Who the browser logs in as; undefined when it has no credentials for this hub. */
  identity?: string;
  /** Whether credentials were given (a refusal then means they are wrong, not missing). */
  loggedIn?: boolean;
  /** The last error the client reported, for the indicator's tooltip. */
  detail?: string;
}

export interface ConnectionSlice {
  /** Where the browser connects; empty until resolved at start-up. */
  hubUrl: string;
  hub: HubStatus;
  /** Another hub a `?hub=` link names (`asked`), waiting for the person to say yes or no. */
  askedHub: { asked: string; home: string } | null;
  /**
   * Counts changes of the stored login (credentials.ts), so the connection is made again with
   * the new one. The credentials themselves are never in the store.
   */
  loginVersion: number;
  hubSettingsOpen: boolean;
  setHubUrl: (url: string) => void;
  setHubStatus: (s: HubStatus) => void;
  setAskedHub: (ask: { asked: string; home: string } | null) => void;
  loginChanged: () => void;
  setHubSettingsOpen: (open: boolean) => void;
}

/** The design being edited. `nodes`, `edges` and `notes` are in design-file form and are what undo tracks. */
export interface DesignSlice {
  /** The key of this design in the browser's design list. */
  designId: string;
  designName: string;
  nodes: readonly DesignNode[];
  edges: readonly DesignEdge[];
  /** The canvas's sticky notes (the design file's `notes`); the compiler ignores them. */
  notes: readonly DesignNote[];
  /** The flake.lock each instance was last deployed with (the design file's `locks`); not an edit, so not in the undo history. */
  locks: Readonly<Record<string, string>>;
  setDesignName: (name: string) => void;
  /** Keeps the lock a deployment of `instance` was made with, for its next deployment. */
  keepLock: (instance: string, lock: string) => void;
  /** Adds a node of `kind` and selects it; returns its id. */
  addNode: (kind: string, position: Position) => string;
  /** Moves nodes; the canvas calls it once when a drag ends, so a drag is one undo step. */
  moveNodes: (positions: ReadonlyMap<string, Position>) => void;
  /** Adds `source → target`, or leaves the design as it is and says why not. */
  connect: (source: string, target: string) => ConnectResult;
  /** Removes nodes (with their edges) and edges. */
  removeElements: (nodeIds: readonly string[], edgeIds: readonly string[]) => void;
  /** Sets one top-level setting; `undefined` or the default removes it from the config. */
  updateField: (nodeId: string, field: string, value: unknown) => void;
  /** Sets a node's label as typed (cleaned of what a label cannot hold); an empty one removes it. */
  setLabel: (nodeId: string, label: string) => void;
  /** Adds an empty note at `position` and returns its id. */
  addNote: (position: Position) => string;
  /** Changes a note's text (as typed, cleaned), colour or place; typing into one note is one undo step. */
  editNote: (id: string, change: Partial<Pick<DesignNote, "text" | "color" | "position">>) => void;
  removeNote: (id: string) => void;
  /** Adds copies of nodes and the edges among them, selects the copies and returns their ids. */
  pasteNodes: (nodes: readonly DesignNode[], edges: readonly DesignEdge[], offset: Position) => string[];
}

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

/** What the compiler says about the design, produced off the main thread (see compile/useCompiler). */
export interface Analysis {
  /** The nodes and edges this analysis is about; when they are not the store's, a newer one is on its way. */
  readonly nodes: readonly DesignNode[];
  readonly edges: readonly DesignEdge[];
  /** The design name it was compiled with (it is in alchemist.json, README.md and the hash). */
  readonly name: string;
  /** The notes it was compiled with: they are in alchemist.json. */
  readonly notes: readonly DesignNote[];
  readonly diagnostics: readonly Diagnostic[];
  /** Empty while the design has errors. */
  readonly files: FlakeFiles;
  /** That of `files["alchemist.json"]`, with the files: a deploy command carries it, so a click does not hash the design again. */
  readonly designHash?: string;
  /** For the selected node: per file, the 1-based lines that exist only because of it. */
  readonly emitted: Readonly<Record<string, readonly number[]>>;
  readonly emittedBy: string | null;
}

export interface AnalysisSlice {
  analysis: Analysis;
  /** The last flake that compiled, kept on screen while errors block a new one. */
  lastFiles: FlakeFiles;
  setAnalysis: (analysis: Analysis) => void;
}

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
  /** Another tab, or someone on the hub, saved the open design while this one had unsaved changes: both versions, until the person chooses. */
  designConflict: DesignConflict | null;
  setDesignConflict: (conflict: DesignConflict | null) => void;
  /**
   * Takes the other version (this one's changes dropped), keeps this one as a new design (theirs
   * stays), or — for a hub conflict — takes the merge of both the person made, saved over theirs.
   */
  resolveDesignConflict: (keep: "theirs" | "mine-as-copy" | { merged: Design }) => void;
  /** A revision from the hub, as this browser's copy of design `id` (shown at once when it is the open one). */
  takeHubRevision: (id: string, design: Design, mark: Omit<HubMark, "pending">) => void;
  /** Replaces the open design with `design` as a change of the person's, said with its next save to the hub (`note`). */
  replaceOpenDesign: (design: Design, note: string) => void;
  /** What keeps the browser's designs from reaching the hub, while it lasts. */
  designsProblem: string | null;
  setDesignsProblem: (problem: string | null) => void;
}

/** A revision someone saved on the hub while this browser's copy had changes the hub did not have. */
export interface HubConflict {
  readonly revision: number;
  readonly savedBy: { readonly name: string; readonly key?: string };
  readonly savedAt: string;
  /** The revision this browser's changes were made on (0: never on the hub), and that revision's design for a three-way review. */
  readonly basedOn: number;
  readonly base: Design | null;
}

export interface DesignConflict {
  readonly theirs: Design;
  readonly mine: Design;
  /** Absent for another tab of this browser. */
  readonly hub?: HubConflict;
}

/** Files of a deployment as stored in cim_flakes; null when the store no longer has them. */
export type StoredFiles = Readonly<Record<string, string>> | null;

/**
 * What the hub says about deployments, live: the leaf registry, the deployment summaries and
 * the folded events of the deployments being followed. Everything here comes from the hub
 * (see hub/runtime.ts); none of it is undone or saved.
 */
export interface DeploySlice {
  /** Whether the deploy layer has a hub connection to work through. */
  deployLinked: boolean;
  leaves: Readonly<Record<string, LeafRecord>>;
  deployments: Readonly<Record<string, DeploymentSummary>>;
  /** Whether `deployments` holds what the hub has (its watch has reported), not just nothing yet. */
  deploymentsKnown: boolean;
  views: Readonly<Record<string, DeploymentView>>;
  deployedFiles: Readonly<Record<string, StoredFiles>>;
  /** The deployment shown in the deployment view. */
  openDeploymentId: string | null;
  /** The last thing that went wrong in the deploy layer (a dropped event, a failed watch). */
  deployProblem: string | null;
  setDeployLinked: (linked: boolean) => void;
  setLeaves: (leaves: Record<string, LeafRecord>) => void;
  setDeployments: (deployments: Record<string, DeploymentSummary>) => void;
  setView: (view: DeploymentView) => void;
  dropView: (deploymentId: string) => void;
  setDeployedFiles: (deploymentId: string, files: StoredFiles) => void;
  openDeployment: (deploymentId: string | null) => void;
  setDeployProblem: (problem: string | null) => void;
}

// The deploy slice is live state from the hub: both partializes of the store leave it out.
export type AppState = ConnectionSlice & DesignSlice & UiSlice & AnalysisSlice & LibrarySlice & DeploySlice;

/** What undo/redo tracks: the graph and the notes, never the view, the analysis or the connection. */
export type Tracked = Pick<AppState, "nodes" | "edges" | "notes">;

export type SliceCreator<T> = StateCreator<AppState, [["zustand/persist", unknown], ["temporal", unknown]], [], T>;

/** The undo history from inside a slice: zundo types it `unknown` for the creators it wraps. */
export const historyOf = (api: unknown): StoreApi<TemporalState<Tracked>> => (api as { temporal: StoreApi<TemporalState<Tracked>> }).temporal;

/** The open design as a design file. */
export const currentDesign = (s: Pick<AppState, "designName" | "nodes" | "edges"> & Partial<Pick<AppState, "locks" | "notes">>): Design => ({
  version: DESIGN_VERSION,
  name: s.designName,
  nodes: s.nodes,
  edges: s.edges,
  ...(s.notes && s.notes.length > 0 ? { notes: s.notes } : {}),
  ...(s.locks && Object.keys(s.locks).length > 0 ? { locks: s.locks } : {}),
});
