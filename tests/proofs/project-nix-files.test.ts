import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
// Debian's nix-bin expects a nixbld group that a plain machine lacks; parsing needs no builders.
const NIX_ENV = { ...process.env, NIX_CONFIG: "build-users-group =" };
const SKIP = new Set(["node_modules", ".git", "dist", ".test-output", ".alchemist", "tests"]);

function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? nixFiles(p) : e.name.endsWith(".nix") ? [p] : [];
  });
}

// The project's own Nix (flake.nix, nix/**): generated Nix is proven by the compiler's tests.
describe("every .nix file of the project parses with nix-instantiate --parse", () => {
  const files = nixFiles(ROOT);

  it("finds the flake and the package", () => {
    const names = files.map((f) => relative(ROOT, f));
    expect(names).toContain("flake.nix");
    expect(names).toContain("nix/package.nix");
  });

  for (const file of files) {
    it(relative(ROOT, file), () => {
      const r = spawnSync("nix-instantiate", ["--parse", file], { encoding: "utf8", env: NIX_ENV });
      expect(r.error).toBeUndefined();
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  }

  it("and the check would catch a file that does not parse", () => {
    const r = spawnSync("nix-instantiate", ["--parse", "-E", "{ a = ; }"], { encoding: "utf8", env: NIX_ENV });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/syntax error/);
  });
});
