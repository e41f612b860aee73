import type { ConnectionSlice, SliceCreator } from "./state";
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
