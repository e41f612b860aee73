import { createContext, useContext } from "react";
import type { DesignStore } from "../../client/designStore";

/**
 * The hub's design store on the page's connection, for the components that read it directly
 * (the versions): null while there is none. App provides it, from useHubConnection.
 */
export const DesignStoreContext = createContext<DesignStore | null>(null);

export const useDesignStore = (): DesignStore | null => useContext(DesignStoreContext);
