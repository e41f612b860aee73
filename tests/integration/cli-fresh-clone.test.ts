import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/stack";

/**
 * `npx alchemist …` right after `npm ci` in a clone: no build step a person has to know about.
 * The clone is the files git tracks or would track, as they are now (so uncommitted work is what is tested), with
 * the installed node_modules linked in place of `npm ci`.
 */
describe("the CLI in a fresh clone", () => {
  let clone: string;
  const npx = (...args: string[]) => spawnSync("npx", ["--no-install", "alchemist", ...args], { cwd: clone, encoding: "utf8", timeout: 120_000 });

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), "alchemist-clone-"));
    const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of tracked) if (existsSync(join(REPO, file))) cpSync(join(REPO, file), join(clone, file), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(clone, "node_modules"));
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it("builds itself on first use, and every command answers --help", () => {
    expect(existsSync(join(clone, "dist/cli/alchemist.mjs"))).toBe(false);
    const first = npx("--help");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("usage: alchemist <command>");
    expect(existsSync(join(clone, "dist/cli/alchemist.mjs"))).toBe(true);
    const commands = first.stdout.split("commands:")[1]!.split("\n\n")[0]!.trim().split(/\s+/);
    expect(commands).toEqual(expect.arrayContaining(["up", "executor", "compile", "validate"]));
    for (const name of commands) {
      const help = npx(name, "--help");
      expect(help.status, `${name}: ${help.stderr}`).toBe(0);
      expect(help.stdout, name).toMatch(/usage: alchemist/);
    }
  });

  it("rebuilds when a source is newer than the bundle, so it never runs old code", () => {
    const main = join(clone, "src/cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8").replace("usage: alchemist <command> [options]", "usage: alchemist <command> [options] (edited)"));
    const later = new Date(Date.now() + 60_000);
    utimesSync(main, later, later);
    const run = npx("--help");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("(edited)");
  });
});
