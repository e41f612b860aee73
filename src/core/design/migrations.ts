/**
 * Migrations carry an older design file forward one version at a time: `migrations[n]` turns a
 * version-n document into a version-(n+1) one. Version 1 is the first, so the table is empty;
 * when version 2 comes, its entry goes here and the loader needs no other change.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const migrations: Readonly<Record<number, Migration>> = {};
