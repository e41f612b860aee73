// README command 2: set everything up, then run every suite — type check, unit, proof,
// integration and architecture tests (Vitest), end-to-end tests (Playwright + Debian Chromium) — and end with
// one line that sums them all. Exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, ensureNodeModules, ensureSystemPackages } from "./setup.mjs";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, ".test-output");

ensureSystemPackages(["nats-server", "nix-instantiate", "chromium", "jq", "promtool", "systemd-tmpfiles"]);
ensureNodeModules();
build();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const suites = [];

function npx(args, env = {}) {
  return spawnSync("npx", args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } }).status ?? 1;
}

function record(name, counts, exitCode) {
  // A suite that crashed before reporting still counts as a failure.
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  suites.push(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  } catch {
    return undefined;
  }
}

console.log("\n== type check ==");
for (const [name, project] of [["typecheck", "tsconfig.json"], ["typecheck src/core without DOM and Node", "tsconfig.core.json"]]) {
  const tsc = npx(["tsc", "--noEmit", "-p", project]);
  record(name, { passed: tsc === 0 ? 1 : 0, failed: tsc === 0 ? 0 : 1, skipped: 0 }, tsc);
}

console.log("\n== unit, proof, integration and architecture tests (vitest) ==");
const vitestJson = join(out, "vitest.json");
const vitest = npx(["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
record(
  "vitest",
  { passed: v?.numPassedTests ?? 0, failed: v?.numFailedTests ?? 0, skipped: (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0) },
  vitest,
);

console.log("\n== end-to-end tests (playwright, /usr/bin/chromium) ==");
const pwJson = join(out, "playwright.json");
const pw = npx(["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_FILE: pwJson });
const p = readJson(pwJson)?.stats;
record("playwright", { passed: (p?.expected ?? 0) + (p?.flaky ?? 0), failed: p?.unexpected ?? 0, skipped: p?.skipped ?? 0 }, pw);

console.log("\n" + suites.join("\n"));
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
