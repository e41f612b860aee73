import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployClient } from "../../src/client/deployClient";
import { COMMANDS_STREAM, commandSubject, parseStoreLimits, type Command } from "../../src/core/protocol";
import { ensureDeployStores } from "../../src/executor/jetstreamSetup";
import { inTopology } from "../support/faults";
import { deployCommand, flakeOf, template } from "../support/commands";
import { TEST_SIGNER } from "../support/signing";

const limits = (text: string) => {
  const parsed = parseStoreLimits(text, "test");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

/** A deploy command whose files take about `kib` KiB. */
const heavy = (leafId: string, kib: number) => deployCommand(leafId, { files: { ...flakeOf(template("minimal")).files, "data/blob.txt": "x".repeat(kib * 1024) } });

// Fault matrix: a JetStream store at its limit (the stores made by the admin with small limits).
describe("a JetStream limit reached", () => {
  it("files over the flake store's limit: the deployment fails E_STORE_FULL before anything runs, with no folder and no stored files left", async () => {
    await inTopology(async (t) => {
      await ensureDeployStores(t.nc, "hub", limits("commands.bytes=4MiB,flakes.bytes=1MiB"));
      const ex = await t.startExecutor("leaf-lim", await t.addLeaf("leaf-lim"));
      const big = heavy("leaf-lim", 1100);
      await t.send(big);
      const es = await t.waitFor(big.deploymentId);
      expect(es.at(-1)).toMatchObject({ type: "failed", error: { code: "E_STORE_FULL", message: expect.stringContaining("larger than the largest message KV_cim_flakes takes") } });
      expect(es.some((e) => e.type === "step-started" && e.step === "check")).toBe(false);
      expect(await t.storedFiles("leaf-lim", big.deploymentId)).toBeUndefined();
      expect(existsSync(join(ex.workDir, "deployments", big.deploymentId))).toBe(false);
      expect((await t.summary("leaf-lim", big.deploymentId))?.error?.code).toBe("E_STORE_FULL");
      const next = deployCommand("leaf-lim");
      await t.send(next);
      expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
      expect(ex.output()).not.toMatch(/Unhandled|TypeError/);
    });
  });

  it("a full commands stream: the browser's client is told E_STORE_FULL and why, and the refused deployment leaves no trace", async () => {
    await inTopology(async (t) => {
      await ensureDeployStores(t.nc, "hub", limits("commands.bytes=1MiB"));
      await t.startExecutor("leaf-full", await t.addLeaf("leaf-full"));
      // Commands for a leaf that never comes wait in the stream until it is full.
      let refusedAt = -1;
      for (let i = 0; i < 10 && refusedAt < 0; i++) await t.send(heavy("ghost", 300)).catch(() => (refusedAt = i));
      expect(refusedAt).toBeGreaterThan(0);
      // …to the last byte: small ones until one is refused too.
      let full = false;
      for (let i = 0; i < 1000 && !full; i++) await t.send(deployCommand("ghost")).catch(() => (full = true));
      expect(full).toBe(true);

      const client = new DeployClient(t.nc, "hub", TEST_SIGNER);
      const cmd = deployCommand("leaf-full") as unknown as Command;
      const refused = await client.send(cmd).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ error: { code: "E_STORE_FULL", message: expect.stringContaining("CIM_DEPLOY_COMMANDS is full") } });
      expect((refused as Error).message).toContain("--store-limits commands.bytes=");
      expect(await t.events(cmd.deploymentId)).toEqual([]);
      expect(await t.summary("leaf-full", cmd.deploymentId)).toBeUndefined();

      // Once the waiting commands go (they expire; here the admin purges them), the same command goes through and runs.
      await t.jsm.streams.purge(COMMANDS_STREAM, { filter: commandSubject("ghost") });
      await client.send(cmd);
      expect((await t.waitFor(cmd.deploymentId)).at(-1)?.type).toBe("succeeded");
    });
  });
});
