import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// docs/testing.md, "Where a test goes": every test file stands in one of the homes, so none is
// left out of a suite (vitest.config.ts includes exactly these folders, Playwright reads e2e/).
const ROOT = new URL("../..", import.meta.url).pathname;
// What .gitignore leaves out: dependencies, builds, reports, scratch.
const SKIPPED = new Set(["node_modules", "dist", ".git", ".alchemist", ".test-output", "test-results", "playwright-report", ".scratch"]);

const HOMES: RegExp[] = [
  /^src\/.+\.test\.ts$/, // fast, pure unit tests beside their code
  /^tests\/proofs\/[^/]+\.test\.ts$/, // a real tool on generated output
  /^tests\/integration\/[^/]+\.test\.ts$/, // processes, NATS
  /^tests\/architecture\/[^/]+\.test\.ts$/, // rules over the source tree
  /^e2e\/[^/]+\.spec\.ts$/, // Playwright
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIPPED.has(e.name)) return [];
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return /\.(test|spec)\.[cm]?[jt]sx?$/.test(e.name) ? [relative(ROOT, p)] : [];
  });
}

const homeless = (files: readonly string[]) => files.filter((f) => !HOMES.some((home) => home.test(f)));

describe("test homes", () => {
  it("every test file stands in a home its suite runs", () => {
    const files = testFiles(ROOT);
    expect(files.length).toBeGreaterThan(50);
    expect(homeless(files)).toEqual([]);
  });

  it("and the check finds one that does not", () => {
    expect(homeless(["tests/unit/x.test.ts", "src/app/Panel.test.tsx", "tests/support/nix.test.ts", "e2e/x.test.ts", "src/core/graph.test.ts"])).toEqual([
      "tests/unit/x.test.ts",
      "src/app/Panel.test.tsx",
      "tests/support/nix.test.ts",
      "e2e/x.test.ts",
    ]);
  });
});
