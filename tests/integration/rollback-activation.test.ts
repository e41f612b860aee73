import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeployEvent } from "../../src/core/protocol";
import { control, deployCommand, uid } from "../support/commands";
import { milestones, type ExecutorProc, type Topology } from "../support/deployTopology";
import { waitUntil } from "../support/faults";
import { fakeMachine, newSystemCommand, type MachineState } from "../support/fakeMachine";
import { topologyPerSuite } from "../support/topologySuite";

// Issue 15: a rollback puts the machine back exactly as it was before the activation — the
// running system, the system profile's generation and the boot default — checked on the fake
// machine of tests/fixtures/machine, which changes as a NixOS machine does (nixos-rebuild switch
// sets the profile, then switch-to-configuration installs the boot loader, activates and may
// still exit non-zero).

const setControl = (ex: ExecutorProc, name: string, value: string | null) =>
  value === null ? rmSync(join(ex.control, name), { force: true }) : writeFileSync(join(ex.control, name), value);

/** What a rollback must restore: the running system, the boot default and the profile's generation. */
const restored = (s: MachineState) => ({ running: s.running, boot: s.boot, profile: s.profile, generation: s.generation });

/** Deploys a new system (or `cmd`) and waits for its end. */
async function deployed(t: Topology, ex: ExecutorProc, over: Record<string, unknown> = {}, cmd = newSystemCommand(ex.leafId, over)): Promise<{ id: string; es: DeployEvent[] }> {
  await t.send(cmd);
  return { id: cmd.deploymentId, es: await t.waitFor(cmd.deploymentId) };
}

describe("exact rollback of an activation", () => {
  const topology = topologyPerSuite();
  /** A leaf of its own for each test: its own executor and fake machine. */
  async function leaf(): Promise<{ t: Topology; ex: ExecutorProc; machine: ReturnType<typeof fakeMachine> }> {
    const t = topology();
    const id = uid("leaf-act");
    const ex = await t.startExecutor(id, await t.addLeaf(id));
    return { t, ex, machine: fakeMachine(ex.control) };
  }

  it("an activation that exits non-zero after setting the profile is rolled back: running system, boot default and generation as before", async () => {
    const { t, ex, machine } = await leaf();
    const before = machine.state();
    setControl(ex, "switch.exit", "4");
    const { es } = await deployed(t, ex);
    setControl(ex, "switch.exit", null);
    expect(milestones(es).slice(-4)).toEqual(["start activate", "activate failed", "rolled-back", "failed E_STEP_FAILED"]);
    const after = machine.state();
    // The failed switch made a generation (the real nixos-rebuild does); the profile is back on the one before.
    expect(after.generations.length).toBeGreaterThan(before.generations.length);
    expect({ running: after.running, boot: after.boot, profile: after.profile }).toEqual({ running: before.running, boot: before.boot, profile: before.profile });
  });

  it("a cancel during activation, after the profile and boot loader changed, is rolled back", async () => {
    const { t, ex, machine } = await leaf();
    const before = machine.state();
    setControl(ex, "switch.sleep", "60");
    const cmd = newSystemCommand(ex.leafId);
    await t.send(cmd);
    await waitUntil(() => machine.state().boot !== before.boot, "the switch to have installed the boot loader");
    expect(machine.state().profile).not.toBe(before.profile);
    await t.send(control(ex.leafId, cmd.deploymentId, "cancel"));
    const es = await t.waitFor(cmd.deploymentId).finally(() => setControl(ex, "switch.sleep", null));
    expect(milestones(es).slice(-4)).toEqual(["start activate", "activate failed", "rolled-back", "cancelled"]);
    const after = machine.state();
    expect({ running: after.running, boot: after.boot, profile: after.profile }).toEqual({ running: before.running, boot: before.boot, profile: before.profile });
    expect((await t.summary(ex.leafId, cmd.deploymentId))?.state).toBe("cancelled");
  });

  it("a test deployment not confirmed: the system that ran before it runs again, the boot default and the profile untouched", async () => {
    const { t, ex, machine } = await leaf();
    // A switched system first, so that what runs is the profile's newest generation and not the one before it.
    expect((await deployed(t, ex)).es.at(-1)?.type).toBe("succeeded");
    const before = machine.state();
    const cmd = newSystemCommand(ex.leafId, { action: "test", confirm: { mode: "manual", timeoutSeconds: 2 } });
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
    const during = machine.state();
    expect(during.running).not.toBe(before.running);
    expect(restored({ ...during, running: before.running })).toEqual(restored(before));
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-2)).toEqual(["rolled-back", "failed E_NOT_CONFIRMED"]);
    const after = machine.state();
    expect(restored(after)).toEqual(restored(before));
    expect(after.generations).toEqual(before.generations);
  });

  it("an identical system deployed twice, then not confirmed: back on that system's generation, not the one before it", async () => {
    const { t, ex, machine } = await leaf();
    expect((await deployed(t, ex)).es.at(-1)?.type).toBe("succeeded");
    const { files } = newSystemCommand(ex.leafId);
    expect((await deployed(t, ex, {}, deployCommand(ex.leafId, { files }))).es.at(-1)?.type).toBe("succeeded");
    const before = machine.state();
    // The same system once more: nix-env --set makes no new generation, so "the generation before the current one" is too far back.
    const { es } = await deployed(t, ex, {}, deployCommand(ex.leafId, { files, confirm: { mode: "manual", timeoutSeconds: 2 } }));
    expect(milestones(es).slice(-2)).toEqual(["rolled-back", "failed E_NOT_CONFIRMED"]);
    const after = machine.state();
    expect(restored(after)).toEqual(restored(before));
    // What `nixos-rebuild switch --rollback` would have gone to: another system.
    expect(after.generations.find((g) => g.n === before.generation - 1)?.system).not.toBe(before.running);
  });

  it("a rollback that itself fails ends failed E_ROLLBACK_FAILED, naming the system the leaf is on, and the leaf says it needs attention", async () => {
    const { t, ex, machine } = await leaf();
    const before = machine.state();
    const cmd = newSystemCommand(ex.leafId, { confirm: { mode: "manual", timeoutSeconds: 2 } });
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
    // The system it ran before is gone from the store (collected as garbage): there is nothing to switch back to.
    rmSync(join(machine.root, "nix/store", before.running, "bin/switch-to-configuration"));
    const id = cmd.deploymentId;
    const es = await t.waitFor(id);
    const failed = es.at(-1) as Extract<DeployEvent, { type: "failed" }>;
    expect(milestones(es).at(-1)).toBe("failed E_ROLLBACK_FAILED");
    expect(es.some((e) => e.type === "rolled-back")).toBe(false);
    const on = machine.state();
    expect(on.running).not.toBe(before.running);
    expect(failed.error.message).toContain(on.running);
    expect((await t.summary(ex.leafId, id))).toMatchObject({ state: "failed", error: { code: "E_ROLLBACK_FAILED" } });
    await waitUntil(async () => (await t.leafRecord(ex.leafId))?.attention?.deploymentId === id, "the leaf's entry to say it needs attention");
    expect((await t.leafRecord(ex.leafId))?.attention?.reason).toContain(on.running);
    // A later activation that succeeds is a machine a person has looked at again.
    expect((await deployed(t, ex)).es.at(-1)?.type).toBe("succeeded");
    await waitUntil(async () => (await t.leafRecord(ex.leafId))?.attention === undefined, "the attention to be cleared");
  });
});
