import type { StateCreator } from "zustand";
import type { HubStatus } from "../hub/connection";

export interface ConnectionSlice {
  /** Where the browser connects; empty until resolved at start-up. */
  hubUrl: string;
  hub: HubStatus;
  setHubUrl: (url: string) => void;
  setHubStatus: (s: HubStatus) => void;
}

export const createConnectionSlice: StateCreator<ConnectionSlice, [], [], ConnectionSlice> = (set) => ({
  hubUrl: "",
  hub: { state: "connecting", url: "" },
  setHubUrl: (hubUrl) => set({ hubUrl }),
  setHubStatus: (hub) => set({ hub }),
});
