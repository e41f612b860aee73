import { kindOf } from "../../core/catalog/registry";
import { designInstances as coreInstances, type DesignInstance } from "../../core/design/instances";
import type { DesignEdge, DesignNode } from "../../core/design/types";
import type { AppState } from "../store/state";
import { lastCall } from "./memo";

export type { DesignInstance };

const isInstance = (n: DesignNode): boolean => kindOf(n.kind)?.role === "instance";

/**
 * Why the design has no instance to deploy, in words for the person: an instance node whose
 * Id is empty (or not valid) is not "no instance", and saying so sends the person looking for
 * the wrong thing.
 */
export function noInstanceReason(nodes: readonly DesignNode[]): string {
  const unnamed = nodes.filter(isInstance).length;
  if (unnamed === 0) return "Add a CIM instance to deploy.";
  return unnamed === 1 ? "The CIM instance has no valid Id: set its Id in the inspector to deploy it." : `None of the ${unnamed} CIM instances has a valid Id: set one in the inspector to deploy it.`;
}

/**
 * The instance picker's entries: one per host id. Two instances with one id are the same host
 * to the leaf (and a design error); listing the id twice would offer a choice that is none.
 */
export function pickerChoices(instances: readonly DesignInstance[]): DesignInstance[] {
  const seen = new Set<string>();
  return instances.filter((i) => !seen.has(i.hostId) && seen.add(i.hostId));
}

/** The design's instances that have a host id, the only ones a command can name. */
export function designInstances(nodes: readonly DesignNode[], edges: readonly DesignEdge[]): DesignInstance[] {
  return coreInstances(nodes, edges).filter((i) => i.hostId !== "");
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
const sameInstance = (a: DesignInstance, b: DesignInstance) =>
  a.nodeId === b.nodeId && a.hostId === b.hostId && a.leafId === b.leafId && a.stateVersion === b.stateVersion && a.name === b.name &&
  a.targetHost === b.targetHost && sameList(a.members, b.members) && sameList(a.nested, b.nested);

/**
 * The instances of the open design, recomputed only when the graph changes. An instance that
 * the change left as it was keeps its object, so a subscriber compared with useShallow does
 * not render again on a move, a rename or a port edit.
 */
export const instancesOf = (s: Pick<AppState, "nodes" | "edges">): DesignInstance[] => instancesOfGraph(s.nodes, s.edges);

const instancesOfGraph = lastCall(designInstances, (previous, next) => {
  const before = new Map(previous.map((i) => [i.nodeId, i]));
  return next.map((i) => {
    const old = before.get(i.nodeId);
    return old && sameInstance(old, i) ? old : i;
  });
});

/** The label of the open design's instance with host id `hostId`, if it has one: what views of that host show beside the id. */
export function instanceLabel(s: Pick<AppState, "nodes" | "edges">, hostId: string | undefined): string | undefined {
  const nodeId = hostId === undefined ? undefined : instancesOf(s).find((i) => i.hostId === hostId)?.nodeId;
  return nodeId === undefined ? undefined : s.nodes.find((n) => n.id === nodeId)?.label;
}
