import { structuredPatch } from "diff";

/** What changes between two flakes (the deployed files and those to send), file by file: the deploy review. */

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
