import type { HubStatus } from "../hub/connection";
import type { SliceCreator } from "./types";

export interface ConnectionSlice {
  /** Where the browser connects; empty until resolved at start-up. */
  hubUrl: string;
  hub: HubStatus;
  setHubUrl: (url: string) => void;
  setHubStatus: (s: HubStatus) => void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  hubUrl: "",
  hub: { state: "connecting", url: "" },
  setHubUrl: (hubUrl) => set({ hubUrl }),
  setHubStatus: (hub) => set({ hub }),
});
