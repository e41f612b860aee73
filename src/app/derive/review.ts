import { structuredPatch } from "diff";
import { changedNodes, type NodeChanges } from "../../core/design/changes";
import { DESIGN_VERSION, type Design } from "../../core/design/types";
import { lastCall, perObject } from "./memo";
import { designInstances, type DesignInstance } from "./instances";

export type FileStatus = "added" | "changed" | "removed";

export interface FileDiff {
  path: string;
  status: FileStatus;
  /** Unified-diff lines (" ", "+", "-" first), hunk headers ("@@") between hunks. */
  lines: string[];
}

// jsdiff counts an empty side from 1; unified diffs say 0 ("@@ -0,0 +1,3 @@").
const start = (line: number, count: number) => (count === 0 ? line - 1 : line);

/** What will change on the leaf, file by file: the files to send against the deployed ones. */
export function diffFiles(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): { diffs: FileDiff[]; unchanged: number } {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const diffs: FileDiff[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const a = before[path];
    const b = after[path];
    if (a === b) {
      unchanged++;
      continue;
    }
    const patch = structuredPatch(path, path, a ?? "", b ?? "", undefined, undefined, { context: 3 });
    diffs.push({
      path,
      status: a === undefined ? "added" : b === undefined ? "removed" : "changed",
      lines: patch.hunks.flatMap((h) => [`@@ -${start(h.oldStart, h.oldLines)},${h.oldLines} +${start(h.newStart, h.newLines)},${h.newLines} @@`, ...h.lines]),
    });
  }
  return { diffs, unchanged };
}

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
  const all = compared(deployed, current.nodes, current.edges);
  const now = new Set(instance.members);
  const then = membersThen(deployed, instance.nodeId);
  return { added: all.added.filter((id) => now.has(id)), changed: all.changed.filter((id) => now.has(id)), removed: all.removed.filter((id) => then.has(id)) };
}
