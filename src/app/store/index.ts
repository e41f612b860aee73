import { create } from "zustand";
import { createConnectionSlice, type ConnectionSlice } from "./connectionSlice";
import { createDesignSlice, type DesignSlice } from "./designSlice";

export type AppState = ConnectionSlice & DesignSlice;

/** One store made of slices; components select what they need with useShallow. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createDesignSlice(...a),
}));
