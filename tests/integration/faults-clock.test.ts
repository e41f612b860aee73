import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployClient } from "../../src/client/deployClient";
import { leafState, type LeafRecord } from "../../src/core/protocol";
import { Topology } from "../support/deployTopology";
import { waitUntil, inTopology } from "../support/faults";
import { REPO } from "../support/stack";

const MINUTE = 60_000;
const skewed = (ms: number) => ({ NODE_OPTIONS: `--require ${join(REPO, "tests/support/skewClock.cjs")}`, ALCHEMIST_TEST_CLOCK_SKEW_MS: String(ms) });

async function watch(t: Topology) {
  const client = new DeployClient(t.nc, "hub");
  let leaves: Record<string, LeafRecord> = {};
  const stop = await client.watchLeaves((l) => (leaves = l));
  return { stop, leaves: () => leaves, state: (id: string) => (leaves[id] ? leafState(leaves[id]!, Date.now()) : "absent") };
}

// Fault matrix: leaves whose clocks are minutes off. Online/offline is judged by the hub's clock.
describe("a leaf whose clock is minutes off", () => {
  it("a leaf 10 minutes behind is shown online while it beats; one 10 minutes ahead is shown offline once it stops", async () => {
    await inTopology(async (t) => {
      const leaf = await t.addLeaf("leaf-clocks");
      const behind = await t.startExecutor("leaf-behind", leaf, { env: skewed(-10 * MINUTE) });
      const ahead = await t.startExecutor("leaf-ahead", leaf, { env: skewed(10 * MINUTE) });
      const browser = await watch(t);
      // Both heard live (their next heartbeat), so what is judged is a fresh entry.
      await waitUntil(() => browser.state("leaf-behind") === "idle" && browser.state("leaf-ahead") === "idle", "both leaves shown online", 20_000).catch((e) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify(browser.leaves())}`);
    });
    // The skew is real: each leaf wrote its own clock's time.
    expect(Date.parse(browser.leaves()["leaf-behind"]!.lastSeen)).toBeLessThan(Date.now() - 9 * MINUTE);
    expect(Date.parse(browser.leaves()["leaf-ahead"]!.lastSeen)).toBeGreaterThan(Date.now() + 9 * MINUTE);
    // Beats later it is still online.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(browser.state("leaf-behind")).toBe("idle");

    // Gone without a word (no offline entry): shown offline once the hub has stored nothing of it for 15 s.
    await ahead.kill("SIGKILL");
    await waitUntil(() => browser.state("leaf-ahead") === "offline", "the stopped leaf shown offline", 30_000);
    expect(browser.state("leaf-behind")).toBe("idle");

    // A browser opened now reads both entries back from the store: the same answer.
    const later = await watch(t);
    await waitUntil(() => later.state("leaf-ahead") !== "absent" && later.state("leaf-behind") !== "absent", "a second browser's first look", 10_000);
    expect(later.state("leaf-ahead")).toBe("offline");
    expect(later.state("leaf-behind")).toBe("idle");
    browser.stop();
    later.stop();
    expect(behind.output()).not.toMatch(/Unhandled|TypeError/);
    });
  }, 60_000);
});
