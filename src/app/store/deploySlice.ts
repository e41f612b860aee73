import type { DeploymentSummary, DeploymentView, LeafRecord } from "../../core/protocol";
import type { SliceCreator } from "./types";

/** Files of a deployment as stored in cim_flakes; null when the store no longer has them. */
export type StoredFiles = Readonly<Record<string, string>> | null;

/**
 * What the hub says about deployments, live: the leaf registry, the deployment summaries and
 * the folded events of the deployments being followed. Everything here comes from the hub
 * (see deploy/runtime.ts); none of it is undone or saved.
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

/**
 * The open deployment is remembered per tab (sessionStorage), so a reload during a deployment
 * opens it again rather than leaving the person to find it. An id is no secret; another tab,
 * with a deployment of its own open, keeps its own.
 */
const OPEN_KEY = "alchemist.openDeployment";

function rememberedOpen(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(OPEN_KEY) ?? null;
  } catch {
    // Storage refused (a privacy mode): the panel just starts closed, as before.
    return null;
  }
}

function rememberOpen(id: string | null): void {
  try {
    if (id === null) globalThis.sessionStorage?.removeItem(OPEN_KEY);
    else globalThis.sessionStorage?.setItem(OPEN_KEY, id);
  } catch {
    // Not remembered: only the reopening after a reload is lost.
  }
}

export const createDeploySlice: SliceCreator<DeploySlice> = (set) => ({
  deployLinked: false,
  leaves: {},
  deployments: {},
  deploymentsKnown: false,
  views: {},
  deployedFiles: {},
  openDeploymentId: rememberedOpen(),
  deployProblem: null,
  setDeployLinked: (deployLinked) => set(deployLinked ? { deployLinked } : { deployLinked, leaves: {}, deployments: {}, deploymentsKnown: false }),
  setLeaves: (leaves) => set({ leaves }),
  setDeployments: (deployments) => set({ deployments, deploymentsKnown: true }),
  setView: (view) => set((s) => ({ views: { ...s.views, [view.deploymentId]: view } })),
  dropView: (id) =>
    set((s) => {
      const { [id]: _dropped, ...views } = s.views;
      return { views };
    }),
  setDeployedFiles: (id, files) => set((s) => ({ deployedFiles: { ...s.deployedFiles, [id]: files } })),
  openDeployment: (openDeploymentId) => {
    rememberOpen(openDeploymentId);
    set({ openDeploymentId });
  },
  setDeployProblem: (deployProblem) => set({ deployProblem }),
});
