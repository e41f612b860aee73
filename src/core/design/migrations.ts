/**
 * Migrations carry an older design file forward one version at a time: `migrations[n]` turns a
 * version-n document into a version-(n+1) one (the loader sets the new version number), or says
 * why the document cannot be a version-n one.
 */
export type Migration = (doc: Record<string, unknown>) => { doc: Record<string, unknown> } | { refused: { path: string; message: string } };

export const migrations: Readonly<Record<number, Migration>> = {
  // Version 2 added optional node labels and notes: a version 1 design is a version 2 one
  // without them. A version 1 file that has such keys was not written by a version 1 Alchemist,
  // and version 1 refused them as unknown keys; carrying them forward would make that refusal
  // depend on which Alchemist reads the file.
  1: (doc) => {
    if ("notes" in doc) return { refused: { path: "notes", message: "notes came with version 2: a version 1 design has none (set version to 2 if it was written for one)" } };
    const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
    const at = nodes.findIndex((n) => typeof n === "object" && n !== null && "label" in n);
    if (at >= 0) return { refused: { path: `nodes[${at}].label`, message: "labels came with version 2: a version 1 design has none (set version to 2 if it was written for one)" } };
    return { doc };
  },
};
