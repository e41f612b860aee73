import { changedNodes, changesWithin, type NodeChanges } from "../../core/design/changes";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { lastCall, perObject } from "./memo";
import { designInstances, type DesignInstance } from "./instances";

// The canvas asks for every instance whenever a deployment's events move (every few tens of
// milliseconds while one runs): the comparison of the two designs, and the deployed design's
// instances, are worked out once per change of either design and shared. The comparison is
// keyed on the current nodes and edges, not the design object callers build afresh each time
// (its name does not take part in it).
const compared = lastCall((deployed: Design | null, nodes: Design["nodes"], edges: Design["edges"]): NodeChanges => changedNodes(deployed, { version: DESIGN_VERSION, name: "", nodes, edges }));

const deployedMembers = perObject((deployed: Design): ReadonlyMap<string, ReadonlySet<string>> => new Map(designInstances(deployed.nodes, deployed.edges).map((i) => [i.nodeId, new Set(i.members)])));

const membersThen = (deployed: Design | null, instanceNodeId: string): ReadonlySet<string> => (deployed && deployedMembers(deployed).get(instanceNodeId)) || new Set();

/**
 * The nodes of one instance of the current design that differ from its deployed design: added
 * and changed nodes it has now, removed nodes it had then. With no deployed design everything
 * is new.
 */
export function instanceChanges(deployed: Design | null, current: Design, instance: Pick<DesignInstance, "nodeId" | "members">): NodeChanges {
  return changesWithin(compared(deployed, current.nodes, current.edges), instance.members, membersThen(deployed, instance.nodeId));
}
