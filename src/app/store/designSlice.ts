import type { StateCreator } from "zustand";

// The editor's design state grows here (nodes, edges, undo); the shell only needs the name.
export interface DesignSlice {
  designName: string;
  setDesignName: (name: string) => void;
}

export const createDesignSlice: StateCreator<DesignSlice, [], [], DesignSlice> = (set) => ({
  designName: "Untitled design",
  setDesignName: (designName) => set({ designName }),
});
