import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployClient } from "../../src/client/deployClient";
import { foldBatch, emptyView, type DeployEvent } from "../../src/core/protocol";
import { milestones, type ExecutorProc, type Topology } from "../support/deployTopology";
import { deployCommand } from "../support/commands";
import { TEST_SIGNER } from "../support/signing";
import { isAlive } from "../support/stack";
import { waitUntil, inTopology, inTopologyBehindRelay } from "../support/faults";

const leafnodes = async (monitor: number) => ((await (await fetch(`http://127.0.0.1:${monitor}/leafz`)).json()) as { leafnodes?: number }).leafnodes ?? 0;

/** How long the leaf–hub link stays cut: past the lease's 15 s, so a lone executor must keep its leaf. */
const CUT_S = Number(process.env.FAULTS_LINK_CUT_S ?? 20);

/**
 * A browser following a deployment with the app's own client, folding what it is handed the
 * way the app does: the raw deliveries are kept too, to see any duplicate or gap as delivered.
 */
function follower(t: Topology, leafId: string, deploymentId: string) {
  const client = new DeployClient(t.nc, "hub", TEST_SIGNER);
  const delivered: DeployEvent[] = [];
  const problems: string[] = [];
  let view = emptyView(deploymentId, leafId);
  const stop = client.follow(
    deploymentId,
    (e) => {
      delivered.push(e);
      view = foldBatch(view, [e]).view;
    },
    (p) => problems.push(p),
    leafId,
  );
  return { delivered, problems, stop, view: () => view };
}

async function expectWholeView(t: Topology, ex: ExecutorProc, f: ReturnType<typeof follower>, deploymentId: string) {
  await waitUntil(() => f.view().status === "succeeded", `the browser's view of ${deploymentId} to end`, 60_000).catch((e) => {
    throw new Error(`${(e as Error).message}; seen: ${milestones(f.delivered).join(", ")}\nexecutor:\n${ex.output()}`);
  });
  const stream = await t.events(deploymentId);
  // No gap, no duplicate: as stored, and as the browser was handed them.
  expect(stream.map((e) => e.seq)).toEqual(stream.map((_, i) => i + 1));
  expect(f.delivered.map((e) => e.seq)).toEqual(stream.map((e) => e.seq));
  expect(f.delivered).toEqual(stream);
  expect(f.view().gapAt).toBeUndefined();
  expect(f.view().lastSeq).toBe(stream.length);
  expect(stream.filter((e) => e.type === "step-finished" && e.step === "build")).toHaveLength(1);
  expect(ex.output()).not.toMatch(/Unhandled|TypeError|E_LEASE_LOST/);
}

// Fault matrix: the leaf's own NATS server restarted, and its link to the hub cut then restored, mid-deployment.
describe("the leaf side of the network fails mid-deployment", () => {
  it("the leaf server down from the middle of the build to its end, then restarted: the executor reconnects, the deployment ends once, the browser's view has no gap and no duplicate", async () => {
    await inTopology(async (t) => {
      const leaf = await t.addLeaf("leaf-rs");
      const ex = await t.startExecutor("leaf-rs", leaf);
      writeFileSync(join(ex.control, "build.sleep"), "3");
      const cmd = deployCommand("leaf-rs");
      const f = follower(t, "leaf-rs", cmd.deploymentId);
      await t.send(cmd);
      await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-progress" && e.done === 2));
      await leaf.stop();
      // Down until the build has ended on the leaf: its last output and its end had no server to go to.
      const buildPid = Number(readFileSync(join(ex.control, "build.pid"), "utf8"));
      await waitUntil(() => !isAlive(buildPid), "the build to end while the leaf server is down", 20_000);
      await leaf.restart();
      await expectWholeView(t, ex, f, cmd.deploymentId);
      f.stop();
      expect(f.problems).toEqual([]);
    });
  }, 60_000);

  it(`the leaf–hub link cut for ${CUT_S} s during the build: events wait on the leaf side and arrive after, in order, once each; the leaf keeps its lease and its next command runs`, async () => {
    await inTopologyBehindRelay("leaf-cut", async (t, link, leaf) => {
      const ex = await t.startExecutor("leaf-cut", leaf);
      writeFileSync(join(ex.control, "build.sleep"), "3");
      const cmd = deployCommand("leaf-cut", { confirm: { mode: "auto", timeoutSeconds: CUT_S + 30 } });
      const f = follower(t, "leaf-cut", cmd.deploymentId);
      await t.send(cmd);
      await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-progress" && e.done === 2));
      await link.cut();
      const cutAt = f.delivered.length;
      await waitUntil(async () => (await leafnodes(leaf.monitor)) === 0, "the leaf server to see its link down", 10_000);
      // The build goes on and ends on the leaf; nothing of it reaches the hub meanwhile.
      await new Promise((r) => setTimeout(r, CUT_S * 1000));
      expect(await leafnodes(leaf.monitor)).toBe(0);
      expect(milestones(f.delivered.slice(cutAt))).not.toContain("succeeded");
      const restoredAt = Date.now();
      await link.restore();
      await expectWholeView(t, ex, f, cmd.deploymentId);
      // The build ended during the cut (by the leaf's clock, the same machine's here): its events waited on the leaf side.
      const built = f.delivered.find((e) => e.type === "step-finished" && e.step === "build");
      expect(Date.parse(built!.ts)).toBeLessThan(restoredAt);
      expect(f.delivered.indexOf(built!)).toBeGreaterThanOrEqual(cutAt);
      f.stop();
      expect(f.problems).toEqual([]);
      expect((await t.leafRecord("leaf-cut"))?.holder).toContain(ex.workDir);

      writeFileSync(join(ex.control, "build.sleep"), "0");
      const next = deployCommand("leaf-cut");
      await t.send(next);
      expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
    });
  }, 90_000);
});
