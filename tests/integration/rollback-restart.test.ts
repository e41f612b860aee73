import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeployEvent } from "../../src/core/protocol";
import { control, deployCommand, uid } from "../support/commands";
import { FAKE_BIN, milestones, type ExecutorProc, type Topology } from "../support/deployTopology";
import { deploymentInBuild, waitUntil } from "../support/faults";
import { fakeMachine, newSystemCommand, type FakeMachine } from "../support/fakeMachine";
import { TEST_TRUSTED_KEYS } from "../support/signing";
import { runCli } from "../support/stack";
import { topologyPerSuite } from "../support/topologySuite";

// Issue 15: the executor's death (SIGKILL) or the machine's reboot does not leave an
// unconfirmed activation in place, nor a process of the killed run behind. Each test checks
// the fake machine (tests/fixtures/machine) at the end, not only the events.

/** Whether a process runs (a zombie, left for its new parent to reap, does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Whether process `pid` waits in a child `sleep`: the fake build past its output. Killed while
 * it still writes, it dies of SIGPIPE with its reader (as a real build would), and there would
 * be nothing left for the restarted executor to end.
 */
function asleep(pid: number): boolean {
  return readdirSync("/proc").some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const m = /^\d+ \((.*)\) \S (\d+) /.exec(readFileSync(`/proc/${entry}/stat`, "utf8"));
      return m?.[1] === "sleep" && Number(m[2]) === pid;
    } catch {
      return false;
    }
  });
}

const awaiting = (es: DeployEvent[]) => es.find((e): e is Extract<DeployEvent, { type: "awaiting-confirmation" }> => e.type === "awaiting-confirmation");

describe("an activation left unconfirmed by a dead executor or a reboot", () => {
  const topology = topologyPerSuite();

  /** A leaf of its own: `start()` starts (or restarts) its executor on the same work folder and fake machine. */
  async function leaf() {
    const t: Topology = topology();
    const leafId = uid("leaf-rs");
    const server = await t.addLeaf(leafId);
    const start = () => t.startExecutor(leafId, server);
    const ex = await start();
    return { t, leafId, ex, start, machine: fakeMachine(ex.control) };
  }

  /** Sends a manual-confirm deployment of a new system and kills the executor (SIGKILL) while it awaits confirmation. */
  async function killedWhileAwaiting(t: Topology, ex: ExecutorProc, timeoutSeconds: number) {
    const cmd = newSystemCommand(ex.leafId, { confirm: { mode: "manual", timeoutSeconds } });
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId, (e) => awaiting(e) !== undefined);
    await ex.kill("SIGKILL");
    return { id: cmd.deploymentId, deadline: Date.parse(awaiting(es)!.deadline) };
  }

  it("SIGKILL while awaiting confirmation, restarted after the deadline: rolled back to the exact system before", async () => {
    const { t, ex, start, machine } = await leaf();
    const before = machine.state();
    const { id, deadline } = await killedWhileAwaiting(t, ex, 3);
    expect(machine.state().running).not.toBe(before.running);
    await waitUntil(() => Date.now() > deadline, "the confirmation window to end");
    await start();
    const es = await t.waitFor(id);
    expect(milestones(es).slice(-2)).toEqual(["rolled-back", "failed E_NOT_CONFIRMED"]);
    const after = machine.state();
    expect({ running: after.running, boot: after.boot, profile: after.profile }).toEqual({ running: before.running, boot: before.boot, profile: before.profile });
    expect((await t.summary(ex.leafId, id))?.state).toBe("failed");
  });

  it("SIGKILL while awaiting confirmation, restarted inside the window, then confirmed: the activation stays", async () => {
    const { t, ex, start, machine } = await leaf();
    const before = machine.state();
    const { id } = await killedWhileAwaiting(t, ex, 120);
    const activated = machine.state();
    expect(activated.running).not.toBe(before.running);
    await start();
    await t.waitFor(id, (es) => es.filter((e) => e.type === "awaiting-confirmation").length === 2);
    await t.send(control(ex.leafId, id, "confirm"));
    const es = await t.waitFor(id);
    expect(milestones(es).slice(-4)).toEqual(["awaiting-confirmation", "confirmed", "confirm ok", "succeeded"]);
    expect(es.some((e) => e.type === "rolled-back")).toBe(false);
    const after = machine.state();
    expect({ running: after.running, boot: after.boot, profile: after.profile }).toEqual({ running: activated.running, boot: activated.running, profile: activated.running });
  });

  /** What the alchemist-rollback unit runs at boot, before the executor, with the executor's settings. */
  async function bootCheck(ex: ExecutorProc, machine: FakeMachine): Promise<void> {
    const check = await runCli(["executor", "--recover-only", "--leaf-id", ex.leafId, "--work-dir", ex.workDir, "--trusted-keys", TEST_TRUSTED_KEYS], {
      ...process.env,
      PATH: `${FAKE_BIN}:${process.env.PATH}`,
      FAKE_NIXOS_CONTROL: ex.control,
      ...machine.env,
    });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  }

  it("a reboot (executor gone, the boot check run) with an unconfirmed activation rolls back; the next start reports it", async () => {
    const { t, ex, start, machine } = await leaf();
    const before = machine.state();
    const { id } = await killedWhileAwaiting(t, ex, 600);
    machine.reboot();
    await bootCheck(ex, machine);
    const after = machine.state();
    expect({ running: after.running, boot: after.boot, profile: after.profile }).toEqual({ running: before.running, boot: before.boot, profile: before.profile });
    await start();
    const es = await t.waitFor(id);
    expect(milestones(es).slice(-2)).toEqual(["rolled-back", "failed E_NOT_CONFIRMED"]);
    expect((es.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toMatch(/rebooted/);
  });

  it("the boot check run while an executor awaits confirmation in this boot (a switch that adds its unit starts it) changes nothing", async () => {
    const { t, ex, machine } = await leaf();
    const cmd = newSystemCommand(ex.leafId, { confirm: { mode: "manual", timeoutSeconds: 120 } });
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => awaiting(es) !== undefined);
    const activated = machine.state();
    await bootCheck(ex, machine);
    expect(machine.state()).toEqual(activated);
    await t.send(control(ex.leafId, cmd.deploymentId, "confirm"));
    expect((await t.waitFor(cmd.deploymentId)).at(-1)?.type).toBe("succeeded");
    expect(machine.state()).toEqual(activated);
  });

  it("SIGKILL during a build: the build is gone before the restarted executor takes a command, and nothing of the killed run is reported after", async () => {
    const { t, ex, start, machine } = await leaf();
    const before = machine.state();
    const held = await deploymentInBuild(t, ex);
    await waitUntil(() => existsSync(join(ex.control, "build.pid")), "the build to have started");
    const build = Number(readFileSync(join(ex.control, "build.pid"), "utf8"));
    await waitUntil(() => asleep(build), "the build to be past its output");
    await ex.kill("SIGKILL");
    rmSync(join(ex.control, "build.sleep"));
    expect(running(build)).toBe(true);
    await start();
    // "takes commands" is printed once the previous run's groups are ended.
    expect(running(build)).toBe(false);
    const next = deployCommand(ex.leafId);
    await t.send(next);
    expect((await t.waitFor(next.deploymentId)).at(-1)?.type).toBe("succeeded");
    const es = await t.events(held.deploymentId);
    expect(milestones(es).slice(-2)).toEqual(["start build", "failed E_EXECUTOR_RESTARTED"]);
    // The killed build never finished: it built nothing and activated nothing.
    expect(machine.calls().filter((c) => c.includes(`/${held.deploymentId}#`))).toEqual([`dry-build dry-build path:${join(ex.workDir, "deployments", held.deploymentId)}#cim-minimal`, `build build path:${join(ex.workDir, "deployments", held.deploymentId)}#cim-minimal`]);
    expect(machine.state().generations.length).toBe(before.generations.length + 1);
  });
});
