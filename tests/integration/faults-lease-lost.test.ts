import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployCommand } from "../support/commands";
import { deploymentInBuild, inTopologyBehindRelay, waitUntil } from "../support/faults";

// Fault matrix: the holder of a leaf id cut off from the hub for longer than the lease while a
// second executor with that id can reach it (two machines given one leaf id).
describe("an executor replaced while it was cut off", () => {
  it("the second takes the leaf after 15 s, the first learns it when its link is back, logs E_LEASE_LOST, takes no more commands and exits 1", async () => {
    await inTopologyBehindRelay("leaf-far", async (t, link, cutOff) => {
      const near = await t.addLeaf("leaf-near");
      const first = await t.startExecutor("leaf-split", cutOff);
      const held = await deploymentInBuild(t, first);
      const second = await t.startExecutor("leaf-split", near, { ready: "E_LEASE_HELD", workDir: join(t.dir, "work-second"), control: join(t.dir, "control-second") });

      await link.cut();
      await waitUntil(() => second.output().includes("takes commands"), "the second executor to take the leaf over", 45_000);
      // The command the first one held comes to the second, which cannot know what was done: failed.
      expect((await t.waitFor(held.deploymentId)).at(-1)).toMatchObject({ type: "failed", error: { code: "E_EXECUTOR_RESTARTED" } });

      await link.restore();
      // A command sent as the link comes back: the first executor, which has not yet heard that it
      // was replaced, must not take it (its consumer is the same durable one the second now uses).
      const next = deployCommand("leaf-split");
      await t.send(next);
      await waitUntil(() => first.proc.exitCode !== null, "the first executor to stop", 30_000);
      expect(first.proc.exitCode).toBe(1);
      expect(first.output()).toContain("error E_LEASE_LOST: leaf leaf-split was taken over by");
      expect(first.output()).toContain(join(t.dir, "work-second"));
      expect((await t.leafRecord("leaf-split"))?.holder).toContain("work-second");
      rmSync(join(first.control, "build.sleep"));

      // Nothing of the first came after the end, and the second runs the next command.
      const events = await t.events(held.deploymentId);
      expect(events.filter((e) => e.type === "failed")).toHaveLength(1);
      expect(events.at(-1)?.type).toBe("failed");
      expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
      expect(first.output()).not.toContain(next.deploymentId);
      expect(second.output()).not.toMatch(/Unhandled|TypeError/);
    });
  }, 120_000);
});
