import type { HubStatus } from "../hub/connection";
import type { SliceCreator } from "./types";

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

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  hubUrl: "",
  hub: { state: "connecting", url: "" },
  askedHub: null,
  loginVersion: 0,
  hubSettingsOpen: false,
  setHubUrl: (hubUrl) => set({ hubUrl }),
  setHubStatus: (hub) => set({ hub }),
  setAskedHub: (askedHub) => set({ askedHub }),
  loginChanged: () => set((s) => ({ loginVersion: s.loginVersion + 1 })),
  setHubSettingsOpen: (hubSettingsOpen) => set({ hubSettingsOpen }),
});
