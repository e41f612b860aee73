#!/usr/bin/env node
// The CLI is TypeScript bundled into dist/cli by `npm run build:cli` (Node 20 cannot run .ts).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = new URL("../dist/cli/alchemist.mjs", import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  console.error("error E_WEB_MISSING: the alchemist CLI has not been built; run npm run build (npm start does it for you)");
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
