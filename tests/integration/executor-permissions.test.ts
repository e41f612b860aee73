import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executorPermissions } from "../../src/core/protocol/permissions";
import { Topology, milestones } from "../support/deployTopology";
import { control, deployCommand, rollbackCommand } from "../support/commands";
import { runCli } from "../support/stack";

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
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("deploys, confirms, cancels and rolls back without a single permissions violation", async () => {
    const ex = await t.startExecutor("leaf-p", t.hub, { args: ["--user", "executor-leaf-p", "--password", "s3cret"] });

    const first = deployCommand("leaf-p", { confirm: { mode: "manual", timeoutSeconds: 30 } });
    await t.send(first);
    await t.waitFor(first.deploymentId, (es) => es.some((e) => e.type === "awaiting-confirmation"));
    await t.send(control("leaf-p", first.deploymentId, "confirm"));
    expect(milestones(await t.waitFor(first.deploymentId)).at(-1)).toBe("succeeded");

    const rb = `rb-${first.deploymentId}`;
    await t.send(rollbackCommand("leaf-p", first.deploymentId));
    expect(milestones(await t.waitFor(rb)).at(-1)).toBe("succeeded");

    const bad = deployCommand("leaf-p", { action: "reboot" });
    await t.send(bad);
    expect((await t.waitFor(bad.deploymentId, (es) => es.length > 0))[0]!.type).toBe("rejected");

    expect(await t.leafRecord("leaf-p")).toMatchObject({ status: "idle" });
    expect(t.hub.output()).not.toMatch(/Permissions Violation/i);
    expect(ex.output()).not.toMatch(/permission/i);
  });

  it("and those permissions do not let it act for another leaf", async () => {
    const p = executorPermissions("leaf-p");
    expect(p.publish).not.toContain("cim.deploy.events.>");
    expect(p.publish.some((s) => s.includes("executor-leaf-q") || s.includes("events.leaf-q"))).toBe(false);
    expect(p.publish.some((s) => s.startsWith("cim.deploy.commands"))).toBe(false);
  });
});
