import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeployEvent } from "../../src/core/protocol";
import { ownInstances } from "../../src/executor/config";
import { Topology } from "../support/deployTopology";
import { deployCommand, template } from "../support/commands";

const LEAF = "leaf-own";
type Rejected = Extract<DeployEvent, { type: "rejected" }>;

describe("a leaf executor told nothing about instances serves only its own host", () => {
  let t: Topology;
  beforeAll(async () => {
    t = await Topology.start();
    // An empty ALCHEMIST_INSTANCES: the executor's own default, not the tests' "*".
    await t.startExecutor(LEAF, await t.addLeaf(LEAF), { env: { ALCHEMIST_INSTANCES: "" } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("refuses another host's instance, saying which host it serves and how to serve more", async () => {
    const c = deployCommand(LEAF); // cim-minimal, not this machine
    await t.send(c);
    const es = await t.waitFor(c.deploymentId, (x) => x.some((e) => e.type === "rejected"), 15_000);
    const rejected = es.find((e): e is Rejected => e.type === "rejected")!;
    expect(rejected.error.code).toBe("E_CMD_INSTANCE");
    const own = ownInstances(hostname());
    expect(rejected.reason).toContain(own.length > 0 ? `it serves ${own[0]}` : `its host name ${hostname()} cannot be an instance id`);
    expect(rejected.reason).toContain("--instances");
    expect(es.map((e) => e.type)).toEqual(["rejected"]);
    expect(await t.summary(LEAF, c.deploymentId)).toBeUndefined();
  });

  // On a machine whose name cannot be an instance id the executor serves none, as the test above shows.
  it.skipIf(ownInstances(hostname()).length === 0)("takes the instance named like the machine it runs on", async () => {
    const own = ownInstances(hostname())[0]!;
    const design = template("minimal");
    const mine = { ...design, nodes: design.nodes.map((n) => (n.kind === "cim-instance" ? { ...n, config: { ...n.config, id: own } } : n)) };
    const c = deployCommand(LEAF, { instance: own, action: "build" }, mine);
    await t.send(c);
    const es = await t.waitFor(c.deploymentId, (x) => x.some((e) => e.type === "accepted" || e.type === "rejected"), 15_000);
    expect(es.find((e) => e.type === "rejected")).toBeUndefined();
    expect(es.some((e) => e.type === "accepted")).toBe(true);
  });
});
