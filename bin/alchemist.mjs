#!/usr/bin/env node
// The CLI is TypeScript bundled into dist/cli (Node 20 cannot run .ts). In a clone, the bundle
// is made here when it is missing or older than the sources, so `npx alchemist` works right
// after `npm ci` and never runs yesterday's code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist/cli/alchemist.mjs");
const sources = join(root, "src");

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : /\.tsx?$/.test(e.name) ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (existsSync(sources) && (built === 0 || newestSource(sources) > built)) {
  const { buildCli } = await import("../scripts/build-cli.mjs");
  await buildCli();
} else if (built === 0) {
  console.error("error E_WEB_MISSING: the alchemist CLI has not been built and its sources are not here; run npm run build");
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
