import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { pruneDeploymentFolders } from "./workFolders";

describe("pruneDeploymentFolders: the executor keeps the newest N deployment folders", () => {
  /** A deployments folder of this test's own, holding d-0 … d-(n-1), each changed one minute after the previous one. */
  function folders(n: number): string {
    const root = mkdtempSync(join(tmpdir(), "alchemist-prune-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    for (let i = 0; i < n; i++) {
      const dir = join(root, `d-${i}`);
      mkdirSync(join(dir, "hosts"), { recursive: true });
      writeFileSync(join(dir, "flake.nix"), "{ }");
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(dir, t, t);
    }
    return root;
  }

  it("removes the oldest beyond N, folders and all", async () => {
    const root = folders(5);
    writeFileSync(join(root, "not-a-folder"), "");
    expect(await pruneDeploymentFolders(root, 2, new Set())).toEqual(["d-2", "d-1", "d-0"]);
    expect(readdirSync(root).sort()).toEqual(["d-3", "d-4", "not-a-folder"]);
  });

  it("never removes a folder of a deployment still held (running or queued), however old", async () => {
    const root = folders(4);
    expect(await pruneDeploymentFolders(root, 1, new Set(["d-0"]))).toEqual(["d-2", "d-1"]);
    expect(readdirSync(root).sort()).toEqual(["d-0", "d-3"]);
  });

  it("does nothing when there are at most N, or no deployments folder yet", async () => {
    const root = folders(2);
    expect(await pruneDeploymentFolders(root, 2, new Set())).toEqual([]);
    expect(await pruneDeploymentFolders(join(root, "missing"), 2, new Set())).toEqual([]);
  });
});
