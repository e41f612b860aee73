import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE, lockedInputs } from "../../src/core/compile/lock";
import type { DeployEvent } from "../../src/core/protocol";
import { Topology, milestones, type ExecutorProc } from "../support/deployTopology";
import { deployCommand, rollbackCommand } from "../support/commands";
import { fakeFlake, fakeNixpkgs } from "../support/flake-inputs";

/**
 * Pinned inputs through hub + leaf + executor, with the real `nix` locking and the fake
 * nixos-rebuild: the minimal template's flake with its inputs pointed at local flakes (nixpkgs
 * at a path: flake, the CIM flake at a git+file: repository), so locking runs offline, in a Nix
 * store of the test's own.
 */

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main", ...args], { cwd: dir, encoding: "utf8" }).trim();

/** A commit more in the CIM input's repository: its branch moves on, as upstream's does. */
function commitTo(repo: string, note: string): string {
  writeFileSync(join(repo, "NOTE"), note);
  git(repo, "add", "NOTE");
  git(repo, "commit", "-qm", note);
  return git(repo, "rev-parse", "HEAD");
}

/** Every `<name>.url = "…"` of flake.nix pointed at the local flake `urls[name]`; an input without one is an error of the test. */
function withInputs(files: Record<string, string>, urls: Record<string, string>): Record<string, string> {
  const flake = files["flake.nix"]!.replace(/^(\s*)([\w-]+)\.url = "[^"]*";$/gm, (_, pad: string, name: string) => {
    if (!(name in urls)) throw new Error(`flake.nix has an input ${name} the test gives no local flake for`);
    return `${pad}${name}.url = "${urls[name]}";`;
  });
  return { ...files, "flake.nix": flake };
}

const logs = (es: DeployEvent[]) => es.flatMap((e) => (e.type === "step-log" ? e.line.split("\n") : []));
const lockAt = (ex: ExecutorProc, deploymentId: string) => readFileSync(join(ex.workDir, "deployments", deploymentId, LOCK_FILE), "utf8");

describe("pinned inputs: the executor locks once, later deployments and rollbacks reuse the lock", () => {
  let t: Topology;
  let ex: ExecutorProc;
  let nixpkgs: string;
  let cim: string;
  let files: Record<string, string>;
  let firstRev: string;

  beforeAll(async () => {
    t = await Topology.start();
    nixpkgs = fakeNixpkgs(join(t.dir, "inputs/nixpkgs"), []);
    cim = fakeFlake(join(t.dir, "inputs/cim-domain-graph"), { packages: ["cim-domain-graph"] });
    git(cim, "init", "-q");
    git(cim, "add", "flake.nix");
    git(cim, "commit", "-qm", "first");
    firstRev = git(cim, "rev-parse", "HEAD");
    files = withInputs(deployCommand("leaf-lock").files as Record<string, string>, { nixpkgs: `path:${nixpkgs}`, "cim-domain-graph": `git+file://${cim}` });
    ex = await t.startExecutor("leaf-lock", await t.addLeaf("leaf-lock"), {
      // The real nix, with a store of the test's own and no build users (this machine has no nixbld group).
      env: { ALCHEMIST_NIX: "nix", NIX_CONFIG: `store = ${join(t.dir, "nix-store")}\nbuild-users-group =`, NIX_REMOTE: "" },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  async function deploy(over: Record<string, unknown>) {
    const cmd = deployCommand("leaf-lock", { files, ...over });
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).at(-1), JSON.stringify(logs(es))).toBe("succeeded");
    const stored = JSON.parse((await t.storedFiles("leaf-lock", cmd.deploymentId))!) as Record<string, string>;
    return { cmd, es, stored, lock: lockAt(ex, cmd.deploymentId) };
  }

  it("first deployment creates the lock, the second and a rollback reuse it byte for byte, updating inputs re-locks", async () => {
    // No lock sent: the executor locks the local inputs with the real nix.
    const first = await deploy({});
    const pins = lockedInputs(first.lock);
    expect(pins.ok).toBe(true);
    expect(pins.ok && pins.value).toEqual([
      { input: "cim-domain-graph", revision: firstRev.slice(0, 12) },
      { input: "nixpkgs", revision: expect.stringMatching(/^sha256-/) },
    ]);
    const nodes = (JSON.parse(first.lock) as { nodes: Record<string, { locked: Record<string, unknown> }> }).nodes;
    expect(nodes.nixpkgs!.locked).toMatchObject({ type: "path", path: nixpkgs });
    expect(nodes["cim-domain-graph"]!.locked).toMatchObject({ type: "git", url: `file://${cim}`, rev: firstRev });
    // The lock is one of the deployment's files in cim_flakes: the app reads it back from there.
    expect(first.stored[LOCK_FILE]).toBe(first.lock);
    expect(logs(first.es)).toContain(`${LOCK_FILE}: created, cim-domain-graph ${firstRev.slice(0, 12)}, nixpkgs ${pins.ok && pins.value[1]!.revision}`);

    // The CIM input's branch moves on; the lock sent back keeps the deployment on the pinned commit.
    const laterRev = commitTo(cim, "second");
    const second = await deploy({ files: { ...files, [LOCK_FILE]: first.lock } });
    expect(second.lock).toBe(first.lock);
    expect(second.stored[LOCK_FILE]).toBe(first.lock);
    expect(logs(second.es).some((l) => l.startsWith(`${LOCK_FILE}: kept as sent`))).toBe(true);

    // A rollback to the first deployment redeploys its stored files, the lock among them, unchanged.
    const rb = rollbackCommand("leaf-lock", first.cmd.deploymentId);
    await t.send(rb);
    const rbEvents = await t.waitFor(rb.deploymentId);
    expect(milestones(rbEvents).at(-1)).toBe("succeeded");
    expect(lockAt(ex, rb.deploymentId)).toBe(first.lock);
    expect(JSON.parse((await t.storedFiles("leaf-lock", rb.deploymentId))!)[LOCK_FILE]).toBe(first.lock);

    // Asked to update inputs, the executor pins the branch as it is now, and says what moved.
    const updated = await deploy({ files: { ...files, [LOCK_FILE]: first.lock }, updateInputs: true });
    expect(updated.lock).not.toBe(first.lock);
    expect(JSON.parse(updated.lock).nodes["cim-domain-graph"].locked.rev).toBe(laterRev);
    expect(updated.stored[LOCK_FILE]).toBe(updated.lock);
    expect(logs(updated.es)).toContain(`${LOCK_FILE}: changed: cim-domain-graph ${firstRev.slice(0, 12)} → ${laterRev.slice(0, 12)}`);
  });

  it("an input nix cannot fetch fails the deployment at prepare with E_LOCK_FAILED and nix's own words", async () => {
    const missing = join(t.dir, "inputs/not-there");
    const cmd = deployCommand("leaf-lock", { files: withInputs(files, { nixpkgs: `path:${nixpkgs}`, "cim-domain-graph": `git+file://${missing}` }) });
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-3)).toEqual(["start prepare", "prepare failed", "failed E_LOCK_FAILED"]);
    const failed = es.at(-1) as Extract<DeployEvent, { type: "failed" }>;
    expect(failed.error.message).toContain("nix flake lock exited with code 1");
    expect(failed.error.message).toContain("error: program 'git' failed with exit code 128");
    // Nothing is stored for a deployment that could not be pinned.
    expect(await t.storedFiles("leaf-lock", cmd.deploymentId)).toBeUndefined();
  });

  it("a flake.lock sent that is not a Nix lock is refused at prepare, before nix runs", async () => {
    const cmd = deployCommand("leaf-lock", { files: { ...files, [LOCK_FILE]: '{"nodes": 1}' } });
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-2)).toEqual(["prepare failed", "failed E_LOCK_INVALID"]);
  });
});
