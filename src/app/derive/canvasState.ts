import { parseDesignShape } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import { historyOf, lastSucceeded, nodeStates, own, type NodeDeployState } from "../../core/protocol";
import { currentDesign, type AppState, type StoredFiles } from "../store/state";
import { lastCall, perObject } from "./memo";
import { instancesOf } from "./instances";
import { instanceChanges } from "./review";
import { DESIGN_FILE } from "../../core/compile/paths";

export interface NodeDeploy {
  /** The node's state in the latest deployment of its instance. */
  state?: NodeDeployState;
  /** Changed since the last successful deployment of its instance (or never deployed). */
  undeployed?: "added" | "changed";
}

/** The design a deployment deployed: its `alchemist.json` from cim_flakes. */
const designOf = perObject((files: Readonly<Record<string, string>>): Design | null => (files[DESIGN_FILE] ? (parseDesignShape(files[DESIGN_FILE]).design ?? null) : null));
export const deployedDesign = (files: StoredFiles): Design | null => (files ? designOf(files) : null);

const UNKNOWN: ReadonlyMap<string, NodeDeploy> = new Map();

/** The marks of every node, worked out again only when one of the things it reads changes. */
const marks = lastCall((nodes: AppState["nodes"], edges: AppState["edges"], deployments: AppState["deployments"], views: AppState["views"], deployedFiles: AppState["deployedFiles"]) => {
  const out = new Map<string, NodeDeploy>();
  // The comparison leaves the design's name out.
  const current = currentDesign({ designName: "", nodes, edges });
  for (const instance of instancesOf({ nodes, edges })) {
    const latest = historyOf(deployments, instance.hostId)[0];
    const view = latest && own(views, latest.deploymentId);
    const states = view ? nodeStates(view, instance.nodeId, instance.members) : {};
    const base = lastSucceeded(deployments, instance.hostId);
    // Until the baseline's files are read, marks would be guesses: show none.
    const baseline = base ? (Object.hasOwn(deployedFiles, base.deploymentId) ? deployedDesign(deployedFiles[base.deploymentId]!) : undefined) : null;
    const changes = baseline === undefined ? undefined : instanceChanges(baseline, current, instance);
    const added = new Set(changes?.added);
    const changed = new Set(changes?.changed);
    for (const id of instance.members) {
      const undeployed = added.has(id) ? "added" : changed.has(id) ? "changed" : undefined;
      const state = states[id];
      out.set(id, { ...out.get(id), ...(state ? { state } : {}), ...(undeployed ? { undeployed } : {}) });
    }
  }
  return out as ReadonlyMap<string, NodeDeploy>;
});

/**
 * Colour and mark of every node, from the fold of each instance's latest deployment and the
 * design of its last successful one. Computed once per change of what it reads, shared by all nodes.
 */
export function nodeDeployMap(s: Pick<AppState, "deploymentsKnown" | "nodes" | "edges" | "deployments" | "views" | "deployedFiles">): ReadonlyMap<string, NodeDeploy> {
  // Until the hub has said what was deployed (offline, or its answer not in yet) any mark would be a guess.
  if (!s.deploymentsKnown) return UNKNOWN;
  return marks(s.nodes, s.edges, s.deployments, s.views, s.deployedFiles);
}
