import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscardPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { ensureDeployStores } from "../../src/executor/jetstreamSetup";
import { DEFAULT_STORE_LIMITS, EVENTS_STREAM, STORE_NAMES, STORE_STREAMS, parseStoreLimits, type StoreLimits } from "../../src/core/protocol";
import { SecureTopology, securePerSuite } from "../support/auth";
import { deployCommand } from "../support/commands";
import { milestones } from "../support/deployTopology";

const NS = 1e9;

describe("the stores of the protocol, made by the admin with their limits", () => {
  let s: SecureTopology;
  const limits = parseStoreLimits("commands.age=2h,events.bytes=64MiB,flakes.age=90d", "test");
  beforeAll(async () => {
    if (!limits.ok) throw new Error(limits.error.message);
    s = await SecureTopology.start(limits.value);
  });
  afterAll(async () => {
    await s?.stop();
  });

  const configs = async () => Object.fromEntries(await Promise.all(STORE_NAMES.map(async (n) => [n, (await s.t.jsm.streams.info(STORE_STREAMS[n])).config] as const)));

  it("every stream and bucket has its age and size limit; buckets take no rollups and allow direct gets", async () => {
    const c = await configs();
    const want = (limits as { value: StoreLimits }).value;
    for (const n of STORE_NAMES) expect({ n, age: c[n]!.max_age / NS, bytes: c[n]!.max_bytes }).toEqual({ n, age: want[n].maxAgeS, bytes: want[n].maxBytes });
    expect(c.commands!.max_age / NS).toBe(2 * 3600);
    expect(c.commands!.discard).toBe(DiscardPolicy.New);
    for (const n of ["leaves", "deployments", "flakes"] as const) expect(c[n]).toMatchObject({ allow_rollup_hdrs: false, allow_direct: true, deny_delete: true, discard: DiscardPolicy.Old });
    expect(c.events).toMatchObject({ allow_direct: true, allow_rollup_hdrs: false });
  });

  it("run again with other limits, it changes them on the existing stores and keeps their contents", async () => {
    await s.t.js.publish("cim.deploy.events.leaf-x.d-1", "{}");
    const other = { ...DEFAULT_STORE_LIMITS, events: { maxAgeS: 7 * 86400, maxBytes: 32 * 1024 * 1024 } };
    await ensureDeployStores(s.t.nc, "hub", other);
    const events = await s.t.jsm.streams.info(EVENTS_STREAM);
    expect({ age: events.config.max_age / NS, bytes: events.config.max_bytes, messages: events.state.messages }).toEqual({ age: 7 * 86400, bytes: 32 * 1024 * 1024, messages: 1 });
    expect((await configs()).commands!.max_age / NS).toBe(DEFAULT_STORE_LIMITS.commands.maxAgeS);
  });
});

describe("stores made by an earlier version (KV buckets with rollups, events without direct gets, no limits)", () => {
  const topology = securePerSuite(null);

  it("are brought to this version's settings and limits, their contents kept", async () => {
    const s = topology();
    await s.t.jsm.streams.add({ name: EVENTS_STREAM, subjects: ["cim.deploy.events.>"], max_age: 30 * 86400 * NS });
    const kvm = new Kvm(s.t.js);
    const old = await kvm.create("cim_deployments", { history: 5 });
    await old.put("d-old", "{}");
    expect((await s.t.jsm.streams.info("KV_cim_deployments")).config.allow_rollup_hdrs).toBe(true);
    await ensureDeployStores(s.t.nc, "hub");
    const kv = await s.t.jsm.streams.info("KV_cim_deployments");
    expect(kv.config).toMatchObject({ allow_rollup_hdrs: false, max_age: DEFAULT_STORE_LIMITS.deployments.maxAgeS * NS, max_bytes: DEFAULT_STORE_LIMITS.deployments.maxBytes, discard: DiscardPolicy.Old });
    expect(kv.state.messages).toBe(1);
    expect((await s.t.jsm.streams.info(EVENTS_STREAM)).config).toMatchObject({ allow_direct: true, max_bytes: DEFAULT_STORE_LIMITS.events.maxBytes });
  });
});

describe("an executor with its role's credentials on a hub without the stores", () => {
  const topology = securePerSuite(null);

  it("does not make them, says which are missing and who makes them, and starts once the admin has", async () => {
    const s = topology();
    const ex = await s.t.startExecutor("leaf-s", await s.addLeaf("leaf-s"), { ready: "E_STORE_MISSING" });
    expect(ex.output()).toMatch(/error E_STORE_MISSING: the hub has no CIM_DEPLOY_COMMANDS, CIM_DEPLOY_EVENTS, KV_cim_leaves, KV_cim_deployments, KV_cim_flakes and they could not be made \(the request reached nobody: this executor's credentials, or those of the leaf server it talks through, may not create them\); an admin creates them/);
    expect(await s.t.jsm.streams.names().next()).toEqual([]);
    await ensureDeployStores(s.t.nc, "hub");
    for (let i = 0; i < 200 && !ex.output().includes("takes commands"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(ex.output()).toContain("takes commands");
    const cmd = deployCommand("leaf-s");
    await s.t.send(cmd);
    expect(milestones(await s.t.waitFor(cmd.deploymentId)).at(-1)).toBe("succeeded");
  });
});
