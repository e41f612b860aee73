import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDeployStores } from "../../src/executor/jetstreamSetup";
import { Topology, milestones, type ExecutorProc } from "../support/deployTopology";
import { SecureTopology } from "../support/auth";
import { control, deployCommand, rollbackCommand } from "../support/commands";
import { runCli } from "../support/stack";

const VIOLATION = /Violation/i;

/** A deployment with a manual confirmation, a rollback to it and a rejected command, all on `leafId`. */
async function deployConfirmRollBackReject(t: Topology, leafId: string): Promise<void> {
  const first = deployCommand(leafId, { confirm: { mode: "manual", timeoutSeconds: 30 } });
  await t.send(first);
  await t.waitFor(first.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
  await t.send(control(leafId, first.deploymentId, "confirm"));
  expect(milestones(await t.waitFor(first.deploymentId)).at(-1)).toBe("succeeded");

  const rb = `rb-${first.deploymentId}`;
  await t.send(rollbackCommand(leafId, first.deploymentId));
  expect(milestones(await t.waitFor(rb)).at(-1)).toBe("succeeded");
  expect(await t.summary(leafId, rb)).toMatchObject({ state: "succeeded", rollbackOf: first.deploymentId });

  const bad = deployCommand(leafId, { action: "reboot" });
  await t.send(bad);
  expect((await t.waitFor(bad.deploymentId, (es) => es.length > 0))[0]!.type).toBe("rejected");
  expect(await t.leafRecord(leafId)).toMatchObject({ status: "idle" });
}

/** Stops the executor (it marks its leaf offline on the way) and checks that it could. */
async function stopsCleanly(t: Topology, ex: ExecutorProc, leafId: string): Promise<void> {
  await ex.kill("SIGTERM");
  expect(await t.leafRecord(leafId)).toMatchObject({ status: "offline" });
}

describe("the executor works with exactly the permissions docs/protocol.md tells operators to grant", () => {
  let t: Topology;
  beforeAll(async () => {
    // The entry exactly as `alchemist permissions` prints it for an operator, password filled in.
    const printed = await runCli(["permissions", "--leaf-id", "leaf-p"]);
    expect(printed.code).toBe(0);
    t = await Topology.start({
      authorization: `authorization { users = [
        ${printed.stdout.replace('"<set me>"', '"s3cret"')}
        { user: "admin", password: "admin" }
      ] }`,
      client: { user: "admin", pass: "admin" },
    });
    // The executor may not create the stores: the admin does, as `alchemist up` does.
    await ensureDeployStores(t.nc, "hub");
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("deploys, confirms, rolls back and rejects without a single permissions violation (user and password)", async () => {
    const ex = await t.startExecutor("leaf-p", t.hub, { args: ["--user", "executor-leaf-p", "--password", "s3cret"] });
    await deployConfirmRollBackReject(t, "leaf-p");
    await stopsCleanly(t, ex, "leaf-p");
    expect(t.hub.output()).not.toMatch(VIOLATION);
    expect(ex.output()).not.toMatch(/permission/i);
  });
});

describe("with decentralized auth: identities issued per role, the stores made by the admin", () => {
  let s: SecureTopology;
  beforeAll(async () => {
    s = await SecureTopology.start();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("an executor on the hub with its creds file deploys without a violation", async () => {
    const ex = await s.t.startExecutor("leaf-c", s.t.hub, { args: ["--creds-file", await s.credsFile({ role: "executor", leafId: "leaf-c" })] });
    await deployConfirmRollBackReject(s.t, "leaf-c");
    await stopsCleanly(s.t, ex, "leaf-c");
    expect(s.t.hub.output()).not.toMatch(VIOLATION);
    expect(ex.output()).not.toMatch(/permission/i);
  });

  it("an executor on a leaf server whose leafnode connection logs in as leaf-<id> deploys without a violation", async () => {
    const leaf = await s.addLeaf("leaf-l");
    const ex = await s.t.startExecutor("leaf-l", leaf);
    await deployConfirmRollBackReject(s.t, "leaf-l");
    await stopsCleanly(s.t, ex, "leaf-l");
    expect(s.t.hub.output()).not.toMatch(VIOLATION);
    expect(leaf.output()).not.toMatch(VIOLATION);
    expect(ex.output()).not.toMatch(/permission/i);
  });
});
