import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { DeployClient } from "../../src/client/deployClient";
import { COMMANDS_STREAM, cancelBeforeStartSubject, DEFAULT_STORE_LIMITS, type CancelCommand, type Command, type DeployEvent } from "../../src/core/protocol";
import { SecureTopology } from "../support/auth";
import { deployCommand, uid } from "../support/commands";
import type { ExecutorProc, NatsServerProc } from "../support/deployTopology";
import { newSigner, signedMessage, TEST_SIGNER, TEST_SIGNER_NAME } from "../support/signing";

/*
 * Issue 15, the offline queue: commands sent while a registered leaf is away wait in the command
 * stream, and run when its executor comes back; one cancelled while it waited never starts.
 * Everything as deployed: a hub in operator mode, the leaf's own server linked with the
 * leaf-server identity (so the executor's reads go through that role's permissions), the
 * browser's identity sending through the browser's client (DeployClient).
 */

const LEAF = "leaf-away";
let s: SecureTopology;
let leaf: NatsServerProc;
let browserNc: NatsConnection;
let browser: DeployClient;
let first: ExecutorProc;
/** id → what was sent while the leaf was away. */
const sent = { runs: "", cancelled: "", cancelledTwice: "", unsigned: "", untrusted: "", otherId: "", otherLeafRecord: "" };

const cancelOf = (deploymentId: string, over: Partial<CancelCommand> = {}): CancelCommand => ({
  v: 1,
  type: "cancel",
  commandId: uid("cancel"),
  deploymentId,
  leafId: LEAF,
  requestedAt: new Date().toISOString(),
  ...over,
});

/** A deploy sent by the browser's client; returns its deployment id. */
async function deploy(): Promise<string> {
  const c = deployCommand(LEAF) as unknown as Command;
  await browser.send(c);
  return c.deploymentId;
}

/** Publishes `body` at the subject where `deploymentId`'s cancel waits, as anyone allowed to publish commands can. */
async function leaveAt(deploymentId: string, body: object, signer = TEST_SIGNER as Parameters<typeof signedMessage>[1]): Promise<void> {
  const m = signedMessage(JSON.stringify(body), signer);
  await s.t.js.publish(cancelBeforeStartSubject(LEAF, deploymentId), m.data, { headers: m.headers });
}

const stepsOf = (es: DeployEvent[]) => es.filter((e) => e.type === "step-started");
const calls = (ex: ExecutorProc) => (existsSync(join(ex.control, "calls.log")) ? readFileSync(join(ex.control, "calls.log"), "utf8") : "");

beforeAll(async () => {
  s = await SecureTopology.start(DEFAULT_STORE_LIMITS);
  leaf = await s.addLeaf(LEAF);
  // It registers, then goes away: the leaf is known to the hub and offline.
  first = await s.t.startExecutor(LEAF, leaf);
  await first.kill("SIGTERM");
  expect((await s.t.leafRecord(LEAF))?.status).toBe("offline");

  browserNc = await s.connectAs({ role: "operator", name: "browser" });
  browser = new DeployClient(browserNc, "hub", TEST_SIGNER);

  // A cancel of the first deployment on the leaf, left alone: no deploy runs before it, so only
  // the look before starting can stop it (a cancel command would be taken once it runs).
  sent.cancelled = await deploy();
  await browser.cancelBeforeStart(cancelOf(sent.cancelled));
  sent.runs = await deploy();
  // What the app sends: the cancel left before start, and the cancel command behind it.
  sent.cancelledTwice = await deploy();
  await browser.cancelBeforeStart(cancelOf(sent.cancelledTwice));
  await browser.send(cancelOf(sent.cancelledTwice));
  // What does not count as a cancel: unsigned, signed by a key the leaf does not trust, one
  // for another deployment or another leaf left at this deployment's subject.
  sent.unsigned = await deploy();
  await leaveAt(sent.unsigned, cancelOf(sent.unsigned), null);
  sent.untrusted = await deploy();
  await leaveAt(sent.untrusted, cancelOf(sent.untrusted), newSigner());
  sent.otherId = await deploy();
  await leaveAt(sent.otherId, cancelOf(sent.runs));
  sent.otherLeafRecord = await deploy();
  await leaveAt(sent.otherLeafRecord, cancelOf(sent.otherLeafRecord, { leafId: "leaf-elsewhere" }));
}, 60_000);

afterAll(async () => {
  await browserNc?.close().catch(() => undefined);
  await s?.stop();
});

describe("commands for a registered leaf that is away", () => {
  it("wait in the stream: no event of any of them while the leaf is away", async () => {
    for (const id of Object.values(sent)) expect(await s.t.events(id)).toEqual([]);
  });

  it("run when the leaf comes back; the one cancelled while it waited never starts, and nothing of it reaches nixos-rebuild", async () => {
    const back = await s.t.startExecutor(LEAF, leaf, { workDir: first.workDir, control: first.control });
    const ends: Record<string, DeployEvent[]> = {};
    for (const [name, id] of Object.entries(sent)) ends[name] = await s.t.waitFor(id, undefined, 60_000);

    expect(ends.runs!.at(-1)!.type).toBe("succeeded");
    for (const name of ["cancelled", "cancelledTwice"]) {
      const es = ends[name]!;
      expect(es.map((e) => e.type)).toEqual(["accepted", "cancelled"]);
      expect(es.at(-1)).toMatchObject({ type: "cancelled", reason: `cancelled by ${TEST_SIGNER_NAME} while it waited for leaf ${LEAF}, before it started` });
      expect(stepsOf(es)).toEqual([]);
      expect((await s.t.summary(LEAF, sent[name as keyof typeof sent]))).toMatchObject({ state: "cancelled", startedAt: null });
    }
    // The others ran to the end: what was left at their subjects was not a cancel the leaf runs.
    for (const name of ["unsigned", "untrusted", "otherId", "otherLeafRecord"]) {
      expect(ends[name]!.at(-1)!.type, name).toBe("succeeded");
      expect(stepsOf(ends[name]!).length, name).toBeGreaterThan(0);
    }
    const log = calls(back);
    expect(log).toContain(sent.runs);
    expect(log).not.toContain(sent.cancelled);
    expect(log).not.toContain(sent.cancelledTwice);
    expect(back.output()).toMatch(new RegExp(`ignored the message at ${cancelBeforeStartSubject(LEAF, sent.unsigned)} \\(stream seq \\d+\\): the command has no Alchemist-Signer`));
    expect(back.output()).not.toMatch(/a deployment cancelled while this leaf was away starts before/);
  });
});

describe("a hub whose command stream allows no direct gets (made before them)", () => {
  it("the executor says at start that such cancels are taken only once the deployment runs, and deploys as before", async () => {
    await s.t.jsm.streams.update(COMMANDS_STREAM, { allow_direct: false });
    try {
      const ex = await s.t.startExecutor("leaf-old-hub", await s.addLeaf("leaf-old-hub"));
      expect(ex.output()).toContain(`a deployment cancelled while this leaf was away starts before its cancel is taken: the hub's ${COMMANDS_STREAM} allows no direct gets`);
      const c = deployCommand("leaf-old-hub") as unknown as Command;
      await browser.send(c);
      expect((await s.t.waitFor(c.deploymentId)).at(-1)!.type).toBe("succeeded");
    } finally {
      await s.t.jsm.streams.update(COMMANDS_STREAM, { allow_direct: true });
    }
  });
});
