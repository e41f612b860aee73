import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_STREAM, FLAKES_BUCKET, HEADER_CAUSATION_ID, HEADER_CORRELATION_ID, HEADER_MESSAGE_ID, deploymentKey, eventSubject, isTerminal, type DeployEvent } from "../../src/core/protocol";
import { Kvm } from "@nats-io/kv";
import { Topology, milestones, type ExecutorProc } from "../support/deployTopology";
import { topologyPerSuite } from "../support/topologySuite";
import { MINIMAL_INSTANCE, control, deployCommand, rollbackCommand, template } from "../support/commands";
import { isAlive } from "../support/stack";
import { fakeMachine, newSystemCommand } from "../support/fakeMachine";

const STEPS_OK = (units: string[]) => [
  "accepted",
  "start prepare",
  "prepare ok",
  "start check",
  "check ok",
  "start evaluate",
  "evaluate ok",
  "start build",
  "build ok",
  "start activate",
  "activate ok",
  "start health",
  ...units,
  "health ok",
  "start confirm",
  "confirmed",
  "confirm ok",
  "succeeded",
];

const calls = (e: ExecutorProc, deploymentId: string) =>
  existsSync(join(e.control, "calls.log"))
    ? readFileSync(join(e.control, "calls.log"), "utf8").split("\n").filter((l) => l.includes(`/${deploymentId}#`) || l.startsWith("rollback"))
    : [];
const setControl = (e: ExecutorProc, name: string, value: string | null) =>
  value === null ? rmSync(join(e.control, name), { force: true }) : writeFileSync(join(e.control, name), value);
const unitLines = (es: DeployEvent[]) => milestones(es).filter((m) => m.startsWith("unit "));

/** One deployment with the fake nixos-rebuild steered by `control` files, which are removed again after it ends. */
async function deployWith(t: Topology, ex: ExecutorProc, control: Record<string, string>) {
  for (const [name, value] of Object.entries(control)) setControl(ex, name, value);
  const cmd = deployCommand(ex.leafId);
  await t.send(cmd);
  try {
    return { cmd, es: await t.waitFor(cmd.deploymentId) };
  } finally {
    for (const name of Object.keys(control)) setControl(ex, name, null);
  }
}

describe("executor on a leaf, commands from the hub", () => {
  let t: Topology;
  let ex: ExecutorProc;
  beforeAll(async () => {
    t = await Topology.start();
    ex = await t.startExecutor("leaf-01", await t.addLeaf("leaf-01"));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("success: every step in order, logs and progress from the build, units active, files kept", async () => {
    const cmd = deployCommand("leaf-01");
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    const units = unitLines(es);
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u.endsWith(" active"))).toBe(true);
    expect(milestones(es)).toEqual(STEPS_OK(units));

    // seq numbers run 1, 2, 3 … without gaps; every event names the deployment and the leaf.
    expect(es.map((e) => e.seq)).toEqual(es.map((_, i) => i + 1));
    expect(es.every((e) => e.deploymentId === cmd.deploymentId && e.leafId === "leaf-01" && e.v === 1)).toBe(true);

    const logs = es.flatMap((e) => (e.type === "step-log" ? e.line.split("\n").map((l) => `${e.step}: ${l}`) : []));
    expect(logs).toContain("build: unpacking sources for step 2");
    expect(logs).toContain("build: build output line 2");
    expect(logs).toContain("activate: activating the configuration...");
    expect(logs.some((l) => l.startsWith("evaluate: these 3 derivations will be built"))).toBe(true);
    const progress = es.filter((e) => e.type === "step-progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ step: "build", done: 3, total: 3, unit: "builds" });

    const summary = await t.summary("leaf-01", cmd.deploymentId);
    expect(summary).toMatchObject({ state: "succeeded", instance: MINIMAL_INSTANCE, action: "switch", leafId: "leaf-01", error: null, designHash: cmd.designHash });
    const written = join(ex.workDir, "deployments", cmd.deploymentId, `hosts/${MINIMAL_INSTANCE}/default.nix`);
    expect(readFileSync(written, "utf8")).toBe((cmd.files as Record<string, string>)[`hosts/${MINIMAL_INSTANCE}/default.nix`]);
    expect(JSON.parse((await t.storedFiles("leaf-01", cmd.deploymentId))!)).toEqual(cmd.files);

    const last = await t.jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventSubject("leaf-01", cmd.deploymentId) });
    expect(last!.header.get(HEADER_CORRELATION_ID)).toBe(cmd.deploymentId);
    expect(last!.header.get(HEADER_MESSAGE_ID)).toMatch(/\S+/);
    expect(last!.header.get(HEADER_CAUSATION_ID)).toMatch(/\S+/);

    const leaf = await t.leafRecord("leaf-01");
    expect(leaf).toMatchObject({ leafId: "leaf-01", status: "idle", instances: ["*"], currentDeploymentId: null });
  });

  it("build failure: ends failed at build with the builder's error, nothing activated", async () => {
    const { cmd, es } = await deployWith(t, ex, { "build.exit": "1" });
    expect(milestones(es)).toEqual(["accepted", "start prepare", "prepare ok", "start check", "check ok", "start evaluate", "evaluate ok", "start build", "build failed", "failed E_STEP_FAILED"]);
    const failed = es.at(-1) as Extract<DeployEvent, { type: "failed" }>;
    expect(failed.error.message).toMatch(/nixos-rebuild build exited with code 1/);
    expect(failed.error.message).toMatch(/builder for .* failed with exit code 1/);
    expect(calls(ex, cmd.deploymentId).map((c) => c.split(" ")[0])).toEqual(["dry-build", "build"]);
    await expect.poll(async () => (await t.summary("leaf-01", cmd.deploymentId))?.state).toBe("failed");
  });

  it("activation failure: ends failed at activate, no health check; what the failed switch changed is rolled back", async () => {
    const before = fakeMachine(ex.control).state();
    setControl(ex, "switch.exit", "4");
    const cmd = newSystemCommand(ex.leafId);
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId).finally(() => setControl(ex, "switch.exit", null));
    expect(milestones(es).slice(-4)).toEqual(["start activate", "activate failed", "rolled-back", "failed E_STEP_FAILED"]);
    expect((es.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toMatch(/nixos-rebuild switch exited with code 4/);
    expect(es.some((e) => e.type === "succeeded")).toBe(false);
    const after = fakeMachine(ex.control).state();
    expect([after.running, after.boot, after.profile]).toEqual([before.running, before.boot, before.profile]);
  });

  it("cancel during build: the build's process group is stopped and the deployment ends cancelled", async () => {
    setControl(ex, "build.sleep", "60");
    const cmd = deployCommand("leaf-01");
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-progress" && e.done === 2));
    const pid = Number(readFileSync(join(ex.control, "build.pid"), "utf8"));
    expect(isAlive(pid)).toBe(true);
    await t.send(control("leaf-01", cmd.deploymentId, "cancel"));
    const es = await t.waitFor(cmd.deploymentId).finally(() => setControl(ex, "build.sleep", null));
    expect(milestones(es).slice(-3)).toEqual(["start build", "build failed", "cancelled"]);
    expect(es.find((e) => e.type === "step-finished" && e.step === "build")).toMatchObject({ reason: "cancelled" });
    expect(isAlive(pid)).toBe(false);
    await expect.poll(async () => (await t.summary("leaf-01", cmd.deploymentId))?.state).toBe("cancelled");
  });

  it("duplicate command id: the deployment runs once", async () => {
    const cmd = deployCommand("leaf-01");
    await t.send(cmd);
    await t.send(cmd); // same Nats-Msg-Id: JetStream drops it
    await t.send(cmd, `${cmd.commandId}-resent-later`); // past the dedupe window: the executor refuses it as a replay
    await t.waitFor(cmd.deploymentId);
    const after = deployCommand("leaf-01");
    await t.send(after);
    await t.waitFor(after.deploymentId);
    const es = await t.events(cmd.deploymentId);
    expect(es.filter((e) => e.type === "accepted")).toHaveLength(1);
    expect(es.filter((e) => e.type === "succeeded")).toHaveLength(1);
    expect(calls(ex, cmd.deploymentId).filter((c) => c.startsWith("build "))).toHaveLength(1);
  });

  it("two commands for one instance: the second is queued behind the first, then runs", async () => {
    setControl(ex, "build.sleep", "1");
    const first = deployCommand("leaf-01");
    const second = deployCommand("leaf-01");
    await t.send(first);
    await t.send(second);
    const a = await t.waitFor(first.deploymentId);
    const b = await t.waitFor(second.deploymentId).finally(() => setControl(ex, "build.sleep", null));
    expect(milestones(b).slice(0, 3)).toEqual(["accepted", "queued", "start prepare"]);
    expect(b.find((e) => e.type === "queued")).toMatchObject({ behind: first.deploymentId });
    expect(a.at(-1)!.type).toBe("succeeded");
    expect(b.at(-1)!.type).toBe("succeeded");
    const firstEnded = Date.parse(a.at(-1)!.ts);
    const secondStarted = Date.parse(b.find((e) => e.type === "step-started")!.ts);
    expect(secondStarted).toBeGreaterThanOrEqual(firstEnded);
  });

  it("manual confirmation given in time: confirmed and succeeded", async () => {
    const cmd = deployCommand("leaf-01", { confirm: { mode: "manual", timeoutSeconds: 60 } });
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
    // The summary is written beside the event, not before it: it may come a moment later.
    await expect.poll(async () => (await t.summary("leaf-01", cmd.deploymentId))?.state).toBe("awaiting-confirmation");
    await t.send(control("leaf-01", cmd.deploymentId, "confirm"));
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-5)).toEqual(["start confirm", "awaiting-confirmation", "confirmed", "confirm ok", "succeeded"]);
  });

  it("activation never confirmed in manual mode: rolled back, ends failed, never succeeded", async () => {
    const before = fakeMachine(ex.control).state();
    const cmd = newSystemCommand("leaf-01", { confirm: { mode: "manual", timeoutSeconds: 2 } });
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-5)).toEqual(["start confirm", "awaiting-confirmation", "confirm failed", "rolled-back", "failed E_NOT_CONFIRMED"]);
    expect((es.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toBe("rolled back: not confirmed");
    const after = fakeMachine(ex.control).state();
    expect([after.running, after.boot, after.profile]).toEqual([before.running, before.boot, before.profile]);
    expect(es.some((e) => e.type === "succeeded")).toBe(false);
    await expect.poll(async () => (await t.summary("leaf-01", cmd.deploymentId))?.state).toBe("failed");
  });

  it("a unit that is not active after switch fails health and rolls back", async () => {
    const { es } = await deployWith(t, ex, { "inactive-units": "nats.service\n" });
    const natsUnit = es.find((e) => e.type === "unit-status" && e.unit === "nats.service");
    expect(natsUnit).toMatchObject({ active: false, state: "failed", nodeId: "nats" });
    expect(milestones(es).slice(-3)).toEqual(["health failed", "rolled-back", "failed E_STEP_FAILED"]);
    // The rollback's own output is logged under the step that caused it.
    const healthLog = es.flatMap((e) => (e.type === "step-log" && e.step === "health" ? e.line.split("\n") : []));
    expect(healthLog).toContain("activating the configuration...");
  });

  it("rollback to an earlier deployment deploys its files again, as a new deployment", async () => {
    const first = deployCommand("leaf-01", { design: { id: "d-fleet", revision: 3 } });
    await t.send(first);
    await t.waitFor(first.deploymentId);
    const changed = template("minimal");
    const moved = { ...changed, nodes: changed.nodes.map((n) => (n.kind === "nats-leaf" ? { ...n, config: { ...n.config, port: 4333 } } : n)) };
    const second = deployCommand("leaf-01", {}, moved);
    expect(second.files).not.toEqual(first.files);
    await t.send(second);
    await t.waitFor(second.deploymentId);

    const rollbackId = `rb-${first.deploymentId}`;
    await t.send(rollbackCommand("leaf-01", first.deploymentId));
    const es = await t.waitFor(rollbackId);
    expect(milestones(es).at(-1)).toBe("succeeded");
    const host = `hosts/${MINIMAL_INSTANCE}/default.nix`;
    expect(readFileSync(join(ex.workDir, "deployments", rollbackId, host), "utf8")).toBe((first.files as Record<string, string>)[host]);
    // The history says which design revision each deployment came from: a rollback, its target's.
    expect(await t.summary("leaf-01", first.deploymentId)).toMatchObject({ design: { id: "d-fleet", revision: 3 } });
    expect((await t.summary("leaf-01", second.deploymentId))?.design).toBeUndefined();
    expect(await t.summary("leaf-01", rollbackId)).toMatchObject({ state: "succeeded", rollbackOf: first.deploymentId, designHash: first.designHash, design: { id: "d-fleet", revision: 3 } });
  });

  it("rollback to a deployment that did not succeed is rejected", async () => {
    setControl(ex, "build.exit", "1");
    const bad = deployCommand("leaf-01");
    await t.send(bad);
    await t.waitFor(bad.deploymentId).finally(() => setControl(ex, "build.exit", null));
    const id = `rb-${bad.deploymentId}`;
    await t.send(rollbackCommand("leaf-01", bad.deploymentId));
    const es = await t.waitFor(id, (x) => x.some((e) => e.type === "rejected"));
    expect(es).toHaveLength(1);
    expect(es[0]).toMatchObject({ type: "rejected", error: { code: "E_CMD_UNKNOWN_DEPLOYMENT" } });
    expect((es[0] as Extract<DeployEvent, { type: "rejected" }>).reason).toMatch(/ended failed; only a successful deployment/);
  });

  it("rollback to a deployment whose stored files are not readable is rejected, not retried for ever", async () => {
    const good = deployCommand("leaf-01");
    await t.send(good);
    await t.waitFor(good.deploymentId);
    await (await new Kvm(t.js).open(FLAKES_BUCKET)).put(deploymentKey("leaf-01", good.deploymentId), "{ not json");
    const id = `rb-${good.deploymentId}`;
    await t.send(rollbackCommand("leaf-01", good.deploymentId));
    const es = await t.waitFor(id, (x) => x.some((e) => e.type === "rejected"));
    expect(es).toHaveLength(1);
    expect(es[0]).toMatchObject({ type: "rejected", error: { code: "E_CMD_UNKNOWN_DEPLOYMENT" } });
    expect((es[0] as Extract<DeployEvent, { type: "rejected" }>).reason).toMatch(/in the flake store are not readable/);
    expect(ex.output()).not.toMatch(/could not be handled/);
  });
});

describe("hosts that cannot do everything", () => {
  const topology = topologyPerSuite();

  it("without nixos-rebuild, the steps that need it are skipped with the reason, and nothing is called a success", async () => {
    const t = topology();
    const ex = await t.startExecutor("leaf-plain", await t.addLeaf("leaf-plain"), { args: ["--nixos-rebuild", "/nonexistent/nixos-rebuild"] });
    const cmd = deployCommand("leaf-plain");
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es)).toEqual([
      "accepted",
      "start prepare",
      "prepare ok",
      "start check",
      "check ok",
      "start evaluate",
      "evaluate skipped",
      "start build",
      "build skipped",
      "start activate",
      "activate skipped",
      "start health",
      "health skipped",
      "start confirm",
      "confirm skipped",
      "failed E_NOT_DEPLOYED",
    ]);
    const reasons = Object.fromEntries(es.flatMap((e) => (e.type === "step-finished" ? [[e.step, e.reason]] : [])));
    expect(reasons.build).toBe("/nonexistent/nixos-rebuild not found: this host is not NixOS");
    expect(reasons.health).toBe("nothing was activated (activate was skipped)");
    expect((es.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toBe("nothing was built: /nonexistent/nixos-rebuild not found: this host is not NixOS");
    expect(existsSync(join(ex.control, "calls.log"))).toBe(false);
  });

  it("a step that runs past its timeout is stopped and the deployment fails with E_STEP_TIMEOUT", async () => {
    const t = topology();
    const ex = await t.startExecutor("leaf-slow", await t.addLeaf("leaf-slow"), { args: ["--step-timeouts", "build=1"] });
    setControl(ex, "build.sleep", "60");
    const cmd = deployCommand("leaf-slow");
    await t.send(cmd);
    const es = await t.waitFor(cmd.deploymentId);
    expect(milestones(es).slice(-3)).toEqual(["start build", "build failed", "failed E_STEP_TIMEOUT"]);
    expect((es.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toBe("nixos-rebuild build ran out of time after 1 s");
    expect(isAlive(Number(readFileSync(join(ex.control, "build.pid"), "utf8")))).toBe(false);
  });
});

describe("the hub goes away in the middle of a deployment", () => {
  const topology = topologyPerSuite();

  it("the executor keeps going, and every event arrives once and in order when the hub is back", async () => {
    const t = topology();
    const ex = await t.startExecutor("leaf-h", await t.addLeaf("leaf-h"));
    setControl(ex, "build.sleep", "4");
    const cmd = deployCommand("leaf-h");
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-progress" && e.done === 2));
    await t.hub.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await t.hub.restart();
    const es = await t.waitFor(cmd.deploymentId, undefined, 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}\nexecutor:\n${ex.output()}`);
    });
    expect(es.map((e) => e.seq)).toEqual(es.map((_, i) => i + 1));
    expect(milestones(es).at(-1)).toBe("succeeded");
    expect(es.filter((e) => e.type === "step-finished" && e.step === "build")).toHaveLength(1);
    expect(ex.proc.exitCode).toBeNull();

    // And it still takes new commands.
    setControl(ex, "build.sleep", null);
    const next = deployCommand("leaf-h");
    await t.send(next);
    expect(milestones(await t.waitFor(next.deploymentId, undefined, 60_000)).at(-1)).toBe("succeeded");
  }, 60_000);
});

describe("two leaves deploying at once", () => {
  const topology = topologyPerSuite();

  it("each leaf's executor runs its own deployment, at the same time", async () => {
    const t = topology();
    const a = await t.startExecutor("leaf-a", await t.addLeaf("leaf-a"));
    const b = await t.startExecutor("leaf-b", await t.addLeaf("leaf-b"));
    setControl(a, "build.sleep", "1");
    setControl(b, "build.sleep", "1");
    const ca = deployCommand("leaf-a");
    const cb = deployCommand("leaf-b");
    await Promise.all([t.send(ca), t.send(cb)]);
    const [ea, eb] = await Promise.all([t.waitFor(ca.deploymentId), t.waitFor(cb.deploymentId)]);
    expect(ea.at(-1)!.type).toBe("succeeded");
    expect(eb.at(-1)!.type).toBe("succeeded");
    expect(ea.every((e) => e.leafId === "leaf-a")).toBe(true);
    expect(eb.every((e) => e.leafId === "leaf-b")).toBe(true);
    // They overlapped: each build started before the other deployment ended.
    const buildStart = (es: DeployEvent[]) => Date.parse(es.find((e) => e.type === "step-started" && e.step === "build")!.ts);
    expect(buildStart(ea)).toBeLessThan(Date.parse(eb.at(-1)!.ts));
    expect(buildStart(eb)).toBeLessThan(Date.parse(ea.at(-1)!.ts));
    expect(calls(a, cb.deploymentId)).toEqual([]);
    expect(calls(b, ca.deploymentId)).toEqual([]);
  });
});

describe("a deployment id already used by another leaf", () => {
  const topology = topologyPerSuite();

  it("runs apart on the other leaf: each leaf's events, summary and files are under its own keys, and the first deployment is untouched", async () => {
    const t = topology();
    const owner = await t.startExecutor("leaf-owner", await t.addLeaf("leaf-owner"));
    await t.startExecutor("leaf-other", await t.addLeaf("leaf-other"));
    setControl(owner, "build.sleep", "2");
    const cmd = deployCommand("leaf-owner");
    await t.send(cmd);
    await t.waitFor(cmd.deploymentId, (es) => es.some((e) => e.type === "step-started" && e.step === "build"));
    await t.send({ ...cmd, commandId: `again-${cmd.commandId}`, leafId: "leaf-other" });
    const es = await t.waitFor(cmd.deploymentId, (x) => x.filter(isTerminal).length === 2);
    const of = (leafId: string) => milestones(es.filter((e) => e.leafId === leafId));
    expect(of("leaf-owner").at(-1)).toBe("succeeded");
    expect(of("leaf-other").at(-1)).toBe("succeeded");
    // Each leaf numbers its own events: the other leaf's cannot follow on from the owner's.
    expect(es.filter((e) => e.leafId === "leaf-owner").map((e) => e.seq)).toEqual(es.filter((e) => e.leafId === "leaf-owner").map((_, i) => i + 1));
    expect(await t.summary("leaf-owner", cmd.deploymentId)).toMatchObject({ leafId: "leaf-owner", state: "succeeded", commandId: cmd.commandId });
    expect(await t.summary("leaf-other", cmd.deploymentId)).toMatchObject({ leafId: "leaf-other", state: "succeeded", commandId: `again-${cmd.commandId}` });
    expect(await t.storedFiles("leaf-owner", cmd.deploymentId)).toBe(JSON.stringify(cmd.files));
  });
});

describe("old deployment folders", () => {
  const topology = topologyPerSuite();

  it("only the newest --keep-deployments are kept; the rest go once a deployment ends", async () => {
    const t = topology();
    const ex = await t.startExecutor("leaf-keep", await t.addLeaf("leaf-keep"), { args: ["--keep-deployments", "2"] });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const cmd = deployCommand("leaf-keep");
      await t.send(cmd);
      await t.waitFor(cmd.deploymentId);
      ids.push(cmd.deploymentId);
    }
    const dir = join(ex.workDir, "deployments");
    for (let i = 0; i < 400 && readdirSync(dir).length > 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).sort()).toEqual(ids.slice(2).sort());
    expect(ex.output()).toContain("keeping the newest 2");
  });
});

/** A leaf whose executor is in the middle of a build, with a second deployment queued behind it. */
async function buildInProgress(t: Topology, leafId: string) {
  const leaf = await t.addLeaf(leafId);
  const ex = await t.startExecutor(leafId, leaf);
  setControl(ex, "build.sleep", "60");
  const running = deployCommand(leafId);
  const waiting = deployCommand(leafId);
  await t.send(running);
  await t.send(waiting);
  await t.waitFor(running.deploymentId, (es) => es.some((e) => e.type === "step-progress" && e.done === 2));
  await t.waitFor(waiting.deploymentId, (es) => es.some((e) => e.type === "queued"));
  return { leaf, ex, running, waiting, buildPid: Number(readFileSync(join(ex.control, "build.pid"), "utf8")) };
}

describe("executor stopped with SIGTERM during a build", () => {
  const topology = topologyPerSuite();

  it("stops the build, exits, and on restart reports it failed and runs what was queued", async () => {
    const t = topology();
    const { leaf, ex, running, waiting, buildPid } = await buildInProgress(t, "leaf-t");
    await ex.kill("SIGTERM");
    expect(ex.proc.exitCode).toBe(0);
    expect(isAlive(buildPid)).toBe(false);
    // Nothing was published for it after the stop: no step-finished, no end.
    expect(milestones(await t.events(running.deploymentId)).at(-1)).toBe("start build");
    expect((await t.leafRecord("leaf-t"))?.status).toBe("offline");

    setControl(ex, "build.sleep", null);
    await t.startExecutor("leaf-t", leaf, { control: ex.control, workDir: ex.workDir });
    expect(milestones(await t.waitFor(running.deploymentId)).at(-1)).toBe("failed E_EXECUTOR_RESTARTED");
    expect(milestones(await t.waitFor(waiting.deploymentId)).at(-1)).toBe("succeeded");
  });
});

describe("executor killed with SIGKILL during a build, then restarted", () => {
  const topology = topologyPerSuite();

  it("marks the interrupted deployment failed (executor restarted), then runs the queued one; none runs twice", async () => {
    const t = topology();
    const { leaf, ex, running: interrupted, waiting, buildPid } = await buildInProgress(t, "leaf-c");
    await ex.kill("SIGKILL");
    // Under systemd the whole control group goes with the executor; here we stop the orphan ourselves.
    process.kill(-buildPid, "SIGKILL");
    setControl(ex, "build.sleep", null);

    const again = await t.startExecutor("leaf-c", leaf, { control: ex.control, workDir: ex.workDir });
    const es1 = await t.waitFor(interrupted.deploymentId);
    expect(milestones(es1).slice(-2)).toEqual(["start build", "failed E_EXECUTOR_RESTARTED"]);
    expect((es1.at(-1) as Extract<DeployEvent, { type: "failed" }>).error.message).toBe("executor restarted");
    expect(es1.map((e) => e.seq)).toEqual(es1.map((_, i) => i + 1));

    const es2 = await t.waitFor(waiting.deploymentId);
    expect(milestones(es2).filter((m) => m === "accepted" || m === "queued")).toEqual(["accepted", "queued"]);
    expect(es2.at(-1)!.type).toBe("succeeded");
    expect(calls(again, interrupted.deploymentId).filter((c) => c.startsWith("build "))).toHaveLength(1);
    expect(calls(again, waiting.deploymentId).filter((c) => c.startsWith("build "))).toHaveLength(1);
    expect(isTerminal(es1.at(-1)!)).toBe(true);
  });
});
