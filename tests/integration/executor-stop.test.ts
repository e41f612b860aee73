import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Topology } from "../support/deployTopology";
import { deployCommand } from "../support/commands";

/** Resolves with how the process ended, or "running" if it had not within `ms` (a bound, not a measurement). */
function exitWithin(proc: import("node:child_process").ChildProcess, ms: number): Promise<string> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(`exited ${proc.exitCode ?? proc.signalCode}`);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("running"), ms);
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(`exited ${code ?? signal}`);
    });
  });
}

// systemd (and `alchemist up`) stop a service with SIGTERM and wait for it: an executor whose hub
// is away must still go, not hang on requests nobody answers until the kill timeout.
describe("an executor stopped while its hub is away", () => {
  it("exits on SIGTERM without waiting for the hub, and the deployment it held comes back when it starts again", async () => {
    const t = await Topology.start();
    try {
      const ex = await t.startExecutor("leaf-away", t.hub);
      const held = deployCommand("leaf-away");
      writeFileSync(join(ex.control, "build.sleep"), "60");
      await t.send(held);
      await t.waitFor(held.deploymentId, (es) => es.some((e) => e.type === "step-started"));
      await t.hub.stop();
      ex.proc.kill("SIGTERM");
      // The bound systemd-style supervisors are told to expect (docs/executor.md), not a speed figure.
      expect(await exitWithin(ex.proc, 5_000)).toBe("exited 0");
      expect(ex.output()).not.toMatch(/Unhandled|TypeError/);

      // Its command was never acknowledged: the next run reports it (failed, executor restarted), nothing lost.
      await t.hub.restart();
      rmSync(join(ex.control, "build.sleep"));
      await t.startExecutor("leaf-away", t.hub, { workDir: ex.workDir, control: ex.control });
      const events = await t.waitFor(held.deploymentId);
      expect(events.at(-1)).toMatchObject({ type: "failed", error: { code: "E_EXECUTOR_RESTARTED" } });
    } finally {
      await t.stop();
    }
  });
});
