import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kvm } from "@nats-io/kv";
import { COMMANDS_STREAM, LEAVES_BUCKET, commandConsumerName } from "../../src/core/protocol";
import { deployCommand } from "../support/commands";
import { deploymentInBuild, inTopology, waitUntil } from "../support/faults";

// Fault matrix: two executors started with one leaf id (docs/reliability.md).
describe("two executors with one leaf id", () => {
  it("the second refuses to take commands while the first holds the lease, leaves its consumer alone, and takes over when the first is gone", async () => {
    await inTopology(async (t) => {
      const leaf = await t.addLeaf("leaf-dup");
      const first = await t.startExecutor("leaf-dup", leaf);
      const held = await deploymentInBuild(t, first);
      const consumerBefore = await t.jsm.consumers.info(COMMANDS_STREAM, commandConsumerName("leaf-dup"));

      const second = await t.startExecutor("leaf-dup", leaf, { ready: "E_LEASE_HELD", workDir: join(t.dir, "work-leaf-dup-2"), control: join(t.dir, "control-2") });
      // It names the holder: the first one's host and work folder.
      expect(second.output()).toContain(`error E_LEASE_HELD: leaf leaf-dup is held by`);
      expect(second.output()).toContain(first.workDir);
      expect(second.output()).not.toContain("takes commands");
      // Several tries later, the first one's consumer (and so the command it holds) is untouched.
      await waitUntil(() => second.output().split("E_LEASE_HELD").length > 3, "the second executor to try again", 20_000);
      const consumerAfter = await t.jsm.consumers.info(COMMANDS_STREAM, commandConsumerName("leaf-dup"));
      expect(consumerAfter.created).toBe(consumerBefore.created);
      expect(consumerAfter.num_ack_pending).toBe(1);

      // The first dies without a word (no offline entry): once its entry has stood still for the
      // lease's time, the second takes the leaf, reports the deployment it held, and runs the next.
      await first.kill("SIGKILL");
      rmSync(join(first.control, "build.sleep"));
      await waitUntil(() => second.output().includes("takes commands"), "the second executor to take over", 45_000);
      const events = await t.waitFor(held.deploymentId);
      expect(events.at(-1)).toMatchObject({ type: "failed", error: { code: "E_EXECUTOR_RESTARTED" } });
      const next = deployCommand("leaf-dup");
      await t.send(next);
      expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
      expect((await t.leafRecord("leaf-dup"))?.holder).toContain(second.workDir);
      expect(second.output()).not.toMatch(/Unhandled|TypeError/);
    });
  }, 90_000);

  it("a clean stop hands the leaf over at once, and an executor restarted in the same work folder is the same holder", async () => {
    await inTopology(async (t) => {
      const leaf = await t.addLeaf("leaf-swap");
      const first = await t.startExecutor("leaf-swap", leaf);
      // A crash and a restart of the same installation (same host, same work folder) takes its own lease back.
      await first.kill("SIGKILL");
      const again = await t.startExecutor("leaf-swap", leaf, { workDir: first.workDir, control: first.control });
      expect(again.output()).not.toContain("E_LEASE_HELD");
      // Its entry overwritten with something that names no holder (an admin, garbage) is not a takeover: it writes it again.
      await (await new Kvm(t.js).open(LEAVES_BUCKET)).put("leaf-swap", "null");
      await waitUntil(async () => (await t.leafRecord("leaf-swap"))?.holder !== undefined, "the executor to write its entry again", 15_000);
      expect(again.output()).not.toContain("E_LEASE_LOST");

      const other = await t.startExecutor("leaf-swap", leaf, { ready: "E_LEASE_HELD", workDir: join(t.dir, "work-leaf-swap-2"), control: join(t.dir, "control-2") });
      await again.kill("SIGTERM");
      await waitUntil(() => other.output().includes("takes commands"), "the other executor to take over after a clean stop", 15_000);
      const cmd = deployCommand("leaf-swap");
      await t.send(cmd);
      expect((await t.waitFor(cmd.deploymentId)).at(-1)?.type).toBe("succeeded");
    });
  }, 60_000);
});
