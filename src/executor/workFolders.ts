import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Removes all but the `keep` newest deployment folders under `root` (newest by the time the
 * folder last changed: written at prepare, its `result` link at build), never one in `busy`.
 * Each folder holds a whole flake and, after a build, a `result` link that keeps the system
 * in the Nix store alive; without this the work folder and the store grow with every deployment.
 * Returns the names removed.
 */
export async function pruneDeploymentFolders(root: string, keep: number, busy: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const folders: { name: string; changed: number }[] = [];
  for (const name of names) {
    const s = await stat(join(root, name)).catch(() => undefined);
    if (s?.isDirectory()) folders.push({ name, changed: s.mtimeMs });
  }
  folders.sort((a, b) => b.changed - a.changed || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  const old = folders.slice(keep).filter((f) => !busy.has(f.name));
  for (const f of old) await rm(join(root, f.name), { recursive: true, force: true });
  return old.map((f) => f.name);
}
