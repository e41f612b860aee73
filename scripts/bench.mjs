// `npm run bench`: every bench/*.ts (or only those named on the command line), bundled for
// Node and run one after another. Benchmarks report ratios against a baseline measured in the
// same run, never pass/fail on wall-clock time.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of benches) {
  const outfile = join(root, "dist/bench", basename(file, ".ts") + ".mjs");
  await build({ entryPoints: [join(root, "bench", file)], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
  console.log(`\n== bench/${file} ==`);
  const r = spawnSync(process.execPath, ["--expose-gc", outfile], { stdio: "inherit", cwd: root });
  if (r.status !== 0) failed++;
}
if (benches.length === 0) console.log("no benchmarks matched");
process.exit(failed ? 1 : 0);
