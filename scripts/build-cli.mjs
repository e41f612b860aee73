// Bundles the CLI (and with it the executor and core) into one ES module for Node 20.
import { mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Writes dist/cli/alchemist.mjs (and its map). Built in a folder of its own and renamed into
 * place, so a CLI started while another builds never loads half a file.
 */
export async function buildCli() {
  const out = `${ROOT}dist/cli`;
  mkdirSync(`${ROOT}dist`, { recursive: true });
  const partial = mkdtempSync(`${out}-build-`);
  await build({
    entryPoints: [`${ROOT}src/cli/main.ts`],
    outfile: `${partial}/alchemist.mjs`,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  mkdirSync(out, { recursive: true });
  // The map first: a CLI that starts between the two renames finds the new code's map.
  renameSync(`${partial}/alchemist.mjs.map`, `${out}/alchemist.mjs.map`);
  renameSync(`${partial}/alchemist.mjs`, `${out}/alchemist.mjs`);
  rmSync(partial, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
