import { hostModuleFile } from "../../core/compile/paths";
import { hasErrors } from "../../core/validate/diagnostic";
import { leafState, own, servesInstance, type LeafRecord, type LeafState } from "../../core/protocol";
import type { AppState } from "../store/state";
import { analysisIsCurrent } from "../store/analysisSlice";
import type { DesignInstance } from "./instances";

export interface LeafChoice {
  leaf: LeafRecord;
  state: LeafState;
}

/**
 * The leaves that may deploy an instance: the one the instance names (its `Leaf executor`
 * field), or else every leaf that serves it; online ones first.
 */
export function leafChoices(leaves: Readonly<Record<string, LeafRecord>>, instance: DesignInstance, nowMs: number): LeafChoice[] {
  const candidates = instance.leafId ? [own(leaves, instance.leafId)].filter((l) => l !== undefined) : Object.values(leaves);
  return candidates
    .filter((leaf) => servesInstance(leaf, instance.hostId))
    .map((leaf) => ({ leaf, state: leafState(leaf, nowMs) }))
    .sort((a, b) => Number(a.state === "offline") - Number(b.state === "offline") || (a.leaf.leafId < b.leaf.leafId ? -1 : 1));
}

type Inputs = Pick<AppState, "hub" | "deployLinked" | "nodes" | "edges" | "designName" | "analysis" | "leaves">;

/** Why the instance cannot be deployed now, in words for the person; null when it can. */
export function deployBlocker(s: Inputs, instance: DesignInstance, nowMs: number): string | null {
  if (s.hub.state !== "connected" || !s.deployLinked) return "Not connected to the hub";
  if (!analysisIsCurrent(s)) return "Compiling the design…";
  const errors = s.analysis.diagnostics.filter((d) => d.severity === "error").length;
  if (hasErrors(s.analysis.diagnostics)) return `The design has ${errors} error${errors === 1 ? "" : "s"}: see Problems`;
  if (!s.analysis.files[hostModuleFile(instance.hostId)]) return `The flake defines no host ${instance.hostId}`;
  const online = leafChoices(s.leaves, instance, nowMs).filter((c) => c.state !== "offline");
  if (online.length > 0) return null;
  if (instance.leafId) {
    const leaf = own(s.leaves, instance.leafId);
    if (!leaf) return `Leaf ${instance.leafId} (the instance's leaf executor) has never registered with the hub`;
    if (!servesInstance(leaf, instance.hostId)) return `Leaf ${instance.leafId} does not serve ${instance.hostId} (it serves ${leaf.instances.join(", ")})`;
    return `Leaf ${instance.leafId} (the instance's leaf executor) is offline`;
  }
  return Object.keys(s.leaves).length === 0 ? "No leaf has registered with the hub" : `No leaf that serves ${instance.hostId} is online`;
}
