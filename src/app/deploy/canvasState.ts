import { useShallow } from "zustand/react/shallow";
import { parseDesignShape } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import { historyOf, lastSucceeded, nodeStates, own, type NodeDeployState } from "../../core/protocol";
import { currentDesign, useAppStore, type AppState } from "../store";
import type { StoredFiles } from "../store/state";
import { instancesOf } from "./instances";
import { instanceChanges } from "./review";

export interface NodeDeploy {
  /** The node's state in the latest deployment of its instance. */
  state?: NodeDeployState;
  /** Changed since the last successful deployment of its instance (or never deployed). */
  undeployed?: "added" | "changed";
}

const designs = new WeakMap<object, Design | null>();

/** The design a deployment deployed: its `alchemist.json` from cim_flakes. */
export function deployedDesign(files: StoredFiles): Design | null {
  if (!files) return null;
  let d = designs.get(files);
  if (d === undefined) designs.set(files, (d = files["alchemist.json"] ? (parseDesignShape(files["alchemist.json"]).design ?? null) : null));
  return d;
}

type Inputs = [AppState["nodes"], AppState["edges"], AppState["deployments"], AppState["views"], AppState["deployedFiles"]];
let memo: { inputs: Inputs; value: ReadonlyMap<string, NodeDeploy> } | undefined;
const UNKNOWN: ReadonlyMap<string, NodeDeploy> = new Map();

/**
 * Colour and mark of every node, from the fold of each instance's latest deployment and the
 * design of its last successful one. Computed once per store change, shared by all nodes.
 */
export function nodeDeployMap(s: AppState): ReadonlyMap<string, NodeDeploy> {
  // Until the hub has said what was deployed (offline, or its answer not in yet) any mark would be a guess.
  if (!s.deploymentsKnown) return UNKNOWN;
  const inputs: Inputs = [s.nodes, s.edges, s.deployments, s.views, s.deployedFiles];
  if (memo && memo.inputs.every((x, i) => x === inputs[i])) return memo.value;
  const out = new Map<string, NodeDeploy>();
  const current = currentDesign(s);
  for (const instance of instancesOf(s)) {
    const latest = historyOf(s.deployments, instance.hostId)[0];
    const view = latest && own(s.views, latest.deploymentId);
    const states = view ? nodeStates(view, instance.nodeId, instance.members) : {};
    const base = lastSucceeded(s.deployments, instance.hostId);
    // Until the baseline's files are read, marks would be guesses: show none.
    const baseline = base ? (Object.hasOwn(s.deployedFiles, base.deploymentId) ? deployedDesign(s.deployedFiles[base.deploymentId]!) : undefined) : null;
    const changes = baseline === undefined ? undefined : instanceChanges(baseline, current, instance);
    const added = new Set(changes?.added);
    const changed = new Set(changes?.changed);
    for (const id of instance.members) {
      const undeployed = added.has(id) ? "added" : changed.has(id) ? "changed" : undefined;
      const state = states[id];
      out.set(id, { ...out.get(id), ...(state ? { state } : {}), ...(undeployed ? { undeployed } : {}) });
    }
  }
  memo = { inputs, value: out };
  return out;
}

const NONE: NodeDeploy = {};

export const useNodeDeploy = (nodeId: string): NodeDeploy => useAppStore(useShallow((s) => nodeDeployMap(s).get(nodeId) ?? NONE));
