import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../support/stack";

// nix/package.nix builds from a file set of the repository: what it leaves out, the build in
// the Nix sandbox does not have. No nixpkgs here to build it with, so the same steps run on a
// copy holding exactly that file set (node_modules stands for importNpmLock's), and then the
// installed layout (installPhase's bin, dist, package.json, node_modules) runs the CLI.

const packageNix = readFileSync(join(REPO, "nix/package.nix"), "utf8");
const fileset = [.../fileset\.unions \[([^\]]*)\]/.exec(packageNix)![1]!.matchAll(/\.\.\/([A-Za-z0-9._-]+)/g)].map((m) => m[1]!);
const installed = [.../cp -r ([^$]+) \$out\/lib\/alchemist\//.exec(packageNix)![1]!.trim().split(/\s+/)];

const root = mkdtempSync(join(tmpdir(), "alchemist-package-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the Nix package's file set builds the app and the CLI, and the installed layout runs", () => {
  const src = join(root, "src");
  const out = join(root, "out");

  it("reads the file set and the installed paths from nix/package.nix", () => {
    expect(fileset).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "src"]));
    expect(installed).toEqual(["bin", "dist", "package.json", "node_modules"]);
  });

  it("npm run build succeeds on the file set alone", () => {
    for (const path of fileset) cpSync(join(REPO, path), join(src, path), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(src, "node_modules"));
    const r = spawnSync("npm", ["run", "build"], { cwd: src, encoding: "utf8", timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(existsSync(join(src, "dist/web/index.html"))).toBe(true);
    expect(existsSync(join(src, "dist/cli/alchemist.mjs"))).toBe(true);
  }, 320_000);

  it("the CLI bundle imports only runtime dependencies, which npm prune keeps (dontNpmPrune = false)", () => {
    const bundle = readFileSync(join(src, "dist/cli/alchemist.mjs"), "utf8");
    // esbuild writes each import on a line of its own: `import … from "x";`, and `import("x")`.
    const imports = [...bundle.matchAll(/^(?:import|export)\b[^\n]*?from\s*"([^"]+)";$/gm), ...bundle.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)];
    const specifiers = imports.map((m) => m[1]!).filter((x) => !x.startsWith("node:") && !x.startsWith("."));
    const packageOf = (x: string) => x.split("/").slice(0, x.startsWith("@") ? 2 : 1).join("/");
    const dependencies = Object.keys((JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
    expect(specifiers.length).toBeGreaterThan(3);
    expect([...new Set(specifiers.map(packageOf))].filter((p) => !dependencies.includes(p))).toEqual([]);
  });

  it("the installed layout (no sources) runs `alchemist --help` and `alchemist history --help`", () => {
    for (const path of installed) cpSync(join(src, path), join(out, path), { recursive: true, verbatimSymlinks: true });
    for (const args of [["--help"], ["history", "--help"]]) {
      const r = spawnSync(process.execPath, [join(out, "bin/alchemist.mjs"), ...args], { encoding: "utf8", timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^usage: alchemist/);
    }
  }, 120_000);
});
