import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Topology } from "../support/deployTopology";
import { deployCommand, flakeOf, template } from "../support/commands";
import { mountSmallDisk, unmount } from "../support/faults";

const canMount = (() => {
  try {
    return execFileSync("id", ["-u"]).toString().trim() === "0";
  } catch {
    return false;
  }
})();

// Fault matrix: the work folder's disk fills up while prepare writes a deployment's files.
// The disk is a real 1 MiB tmpfs (the tests run as root; elsewhere this row is skipped).
describe.skipIf(!canMount)("the work folder's disk full during prepare", () => {
  it("ends the deployment failed with E_DISK_FULL, frees what it wrote, and the next command runs", async () => {
    const t = await Topology.start();
    const disk = join(t.dir, "small-disk");
    if (!mountSmallDisk(disk, "1m")) throw new Error("mount -t tmpfs failed although running as root");
    try {
      const leaf = await t.addLeaf("leaf-disk");
      const ex = await t.startExecutor("leaf-disk", leaf, { workDir: disk });
      const { files } = flakeOf(template("minimal"));
      // Two files of 600 KiB each: the first fits, the second does not.
      const big = deployCommand("leaf-disk", { files: { ...files, "data/a.bin": "a".repeat(600 * 1024), "data/b.bin": "b".repeat(600 * 1024) } });
      await t.send(big);
      const es = await t.waitFor(big.deploymentId);
      const prepared = es.find((e) => e.type === "step-finished" && e.step === "prepare");
      expect(prepared).toMatchObject({ status: "failed", reason: expect.stringContaining("no space left on the leaf's disk") });
      expect(es.at(-1)).toMatchObject({ type: "failed", error: { code: "E_DISK_FULL", message: expect.stringContaining("data/b.bin") } });
      expect((await t.summary("leaf-disk", big.deploymentId))?.state).toBe("failed");
      // Nothing half-written: the deployment's folder is gone, and nothing was stored for a rollback.
      expect(await t.storedFiles("leaf-disk", big.deploymentId)).toBeUndefined();

      // Alive, and the space is free again: the next (ordinary) deployment runs to its end.
      expect(ex.proc.exitCode).toBeNull();
      const next = deployCommand("leaf-disk");
      await t.send(next);
      expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
      expect(ex.output()).not.toMatch(/Unhandled|TypeError/);
    } finally {
      for (const e of t.executors) await e.kill("SIGKILL");
      unmount(disk);
      await t.stop();
    }
  });
});
