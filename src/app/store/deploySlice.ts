import type { DeploySlice, SliceCreator } from "./state";

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
