import type { StateCreator, StoreApi } from "zustand";
import type { TemporalState } from "zundo";
import type { AnalysisSlice } from "./analysisSlice";
import type { ConnectionSlice } from "./connectionSlice";
import type { DeploySlice } from "./deploySlice";
import type { DesignSlice } from "./designSlice";
import type { LibrarySlice } from "./librarySlice";
import type { UiSlice } from "./uiSlice";

// The deploy slice is live state from the hub: both partializes below leave it out.
export type AppState = ConnectionSlice & DesignSlice & UiSlice & AnalysisSlice & LibrarySlice & DeploySlice;

/** What undo/redo tracks: the graph, never the view, the analysis or the connection. */
export type Tracked = Pick<AppState, "nodes" | "edges">;

export type SliceCreator<T> = StateCreator<AppState, [["zustand/persist", unknown], ["temporal", unknown]], [], T>;

/** The undo history from inside a slice: zundo types it `unknown` for the creators it wraps. */
export const historyOf = (api: unknown): StoreApi<TemporalState<Tracked>> => (api as { temporal: StoreApi<TemporalState<Tracked>> }).temporal;
