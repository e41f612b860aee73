import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { AuthorizationError, credsAuthenticator, headers, PermissionViolationError, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { createAuthority, issueIdentity } from "../../src/cli/auth/authority";
import {
  COMMANDS_STREAM,
  DEPLOYMENTS_BUCKET,
  DESIGNS_BUCKET,
  EVENTS_STREAM,
  FLAKES_BUCKET,
  LEAVES_BUCKET,
  STORE_STREAMS,
  cancelBeforeStartSubject,
  commandConsumerName,
  commandSubject,
  deploymentKey,
  eventSubject,
  identityName,
  inboxPrefixOf,
  kvSubject,
  type Role,
} from "../../src/core/protocol";
import { recreateCommandConsumer } from "../../src/executor/jetstreamSetup";
import { SecureTopology } from "../support/auth";
import { deployCommand } from "../support/commands";
import type { NatsServerProc } from "../support/deployTopology";
import { DesignStore } from "../../src/client/designStore";

/*
 * Least privilege, proven by attack: a hub in operator mode with identities issued exactly as
 * `alchemist up` and `alchemist creds` issue them. Leaf B has deployed once and has a command
 * waiting; leaf A's credentials (its executor's, and its leaf server's leafnode connection),
 * the browser's and none at all then try what they must not. Each attempt is made with the
 * real client against the real server, must be refused by the server (a permissions
 * violation the client receives and the hub logs, or a JetStream error), and must leave B's
 * state — registry entry, summary, files, events, waiting command, consumer, every store's
 * contents and configuration — exactly as it was.
 */

const A = "leaf-a";
const B = "leaf-b";
const STORES = Object.values(STORE_STREAMS);
const executorA: Role = { role: "executor", leafId: A };
const leafServerA: Role = { role: "leaf-server", leafId: A };
const browser: Role = { role: "operator", name: "browser" };

let s: SecureTopology;
/** B's deployment: its summary, files and events are what A tries to overwrite. */
let deployed: string;
/** A command for B that B's (stopped) executor has not taken yet: what A tries to read. */
let waiting: string;
let before: Snapshot;
/** A design a person saved: what a leaf tries to read, change or wipe. */
const DESIGN = "d-team";

/** The permissions error in a refused request (nats.js wraps it in a RequestError) or subscription. */
function permissionErrorOf(e: unknown): PermissionViolationError | undefined {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (x instanceof PermissionViolationError) return x;
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Waits for a line of the hub's log (it is written beside the answer to the client, not before). */
async function hubLogged(line: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !line.test(s.t.hub.output()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(s.t.hub.output()).toMatch(line);
}

/** The hub's log line that it refused `role`'s identity this operation on this subject. */
async function hubRefused(role: Role, op: "publish" | "subscription", subject: string): Promise<void> {
  const who = (await s.identity(role)).publicKey;
  await hubLogged(new RegExp(`${op === "publish" ? "Publish" : "Subscription"} Violation - Nkey "${who}", Subject "${escape(subject)}"`));
}

/** The attempt fails with the server's permissions violation for exactly this subject, and the hub logged it. */
async function refused(role: Role, attempt: Promise<unknown>, op: "publish" | "subscription", subject: string): Promise<void> {
  const e = await attempt.then(
    () => undefined,
    (x: unknown) => x,
  );
  const pe = permissionErrorOf(e);
  expect(pe, `expected a permissions violation for ${subject}, got ${String(e)}`).toBeDefined();
  expect({ operation: pe!.operation, subject: pe!.subject }).toEqual({ operation: op, subject });
  await hubRefused(role, op, subject);
}

/** A subscription the server refuses closes with the violation. */
const subscribed = (nc: NatsConnection, subject: string): Promise<unknown> => {
  const sub = nc.subscribe(subject);
  return sub.closed.then((e) => (e ? Promise.reject(e) : undefined));
};

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything of B and of the stores that an attack could change. */
async function snapshot() {
  const kvm = new Kvm(s.t.js);
  const rev = async (bucket: string, key: string) => (await (await kvm.open(bucket)).get(key))?.revision ?? null;
  const consumer = await s.t.jsm.consumers.info(COMMANDS_STREAM, commandConsumerName(B));
  return {
    leaf: await rev(LEAVES_BUCKET, B),
    design: await rev(DESIGNS_BUCKET, DESIGN),
    summary: await rev(DEPLOYMENTS_BUCKET, deploymentKey(B, deployed)),
    files: await rev(FLAKES_BUCKET, deploymentKey(B, deployed)),
    consumer: { pending: consumer.num_pending, ackPending: consumer.num_ack_pending, config: consumer.config },
    streams: await Promise.all(
      STORES.map(async (name) => {
        const i = await s.t.jsm.streams.info(name);
        return { name, messages: i.state.messages, last: i.state.last_seq, config: i.config };
      }),
    ),
  };
}

const unchanged = async () => expect(await snapshot()).toEqual(before);

interface Attacker {
  nc: NatsConnection;
  /** JetStream without a domain: requests go to `$JS.API.…`, the subjects the hub checks. */
  js: JetStreamClient;
  jsm: JetStreamManager;
}

async function attacker(role: Role): Promise<Attacker> {
  const nc = await s.connectAs(role);
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
}

let execA: Attacker;
let person: Attacker;
let leafA: NatsServerProc;
/** A client on leaf A's own NATS server: what anything on A's machine can do through the link. */
let onLeafA: NatsConnection;

beforeAll(async () => {
  s = await SecureTopology.start();
  const ex = await s.t.startExecutor(B, await s.addLeaf(B));
  const cmd = deployCommand(B);
  deployed = cmd.deploymentId;
  await s.t.send(cmd);
  expect((await s.t.waitFor(deployed)).at(-1)!.type).toBe("succeeded");
  await ex.kill("SIGTERM");
  // Made anew as B's executor makes it, so that no pull of the stopped executor holds the command below.
  await recreateCommandConsumer(s.t.jsm, B, 30_000);
  const w = deployCommand(B);
  waiting = w.deploymentId;
  await s.t.send(w);
  execA = await attacker(executorA);
  person = await attacker(browser);
  const saved = await new DesignStore(person.nc, undefined, undefined, "browser").save(DESIGN, { version: 2, name: "team", nodes: [], edges: [] }, 0);
  expect(saved.ok).toBe(true);
  leafA = await s.addLeaf(A);
  onLeafA = await connect({ servers: `nats://127.0.0.1:${leafA.port}`, inboxPrefix: inboxPrefixOf(identityName(executorA)) });
  before = await snapshot();
  expect(before.consumer.pending).toBe(1);
});

afterAll(async () => {
  for (const nc of [execA?.nc, person?.nc, onLeafA]) await nc?.close().catch(() => undefined);
  await s?.stop();
});

/** One test per store: `role`'s client may not purge, delete or reconfigure it. */
function storesUntouchable(role: Role, client: () => Attacker): void {
  for (const store of STORES) {
    it(`purging, deleting or reconfiguring ${store} is refused`, async () => {
      const { jsm, nc } = client();
      await refused(role, jsm.streams.purge(store), "publish", `$JS.API.STREAM.PURGE.${store}`);
      await refused(role, jsm.streams.delete(store), "publish", `$JS.API.STREAM.DELETE.${store}`);
      // Sent as is: nats.js would first ask for the stream's info, which a leaf may not even do for the designs.
      const update = `$JS.API.STREAM.UPDATE.${store}`;
      await refused(role, nc.request(update, JSON.stringify({ name: store, max_age: 1e9 }), { timeout: 5000 }), "publish", update);
      await unchanged();
    });
  }
}

describe("leaf A's executor credentials cannot read leaf B's commands", () => {
  it("subscribing to B's command subject is refused", async () => {
    await refused(executorA, subscribed(execA.nc, commandSubject(B)), "subscription", commandSubject(B));
    await unchanged();
  });

  it("subscribing to every command subject is refused", async () => {
    await refused(executorA, subscribed(execA.nc, "cim.deploy.commands.>"), "subscription", "cim.deploy.commands.>");
    await unchanged();
  });

  it("a consumer filtered on B's commands is refused, under A's consumer name too", async () => {
    const subject = `$JS.API.CONSUMER.CREATE.${COMMANDS_STREAM}.${commandConsumerName(A)}.${commandSubject(B)}`;
    await refused(executorA, execA.jsm.consumers.add(COMMANDS_STREAM, { durable_name: commandConsumerName(A), filter_subject: commandSubject(B) }), "publish", subject);
    await unchanged();
  });

  it("A's own consumer subject with B's filter in the body is refused by JetStream", async () => {
    const subject = `$JS.API.CONSUMER.CREATE.${COMMANDS_STREAM}.${commandConsumerName(A)}.${commandSubject(A)}`;
    const body = { stream_name: COMMANDS_STREAM, config: { durable_name: commandConsumerName(A), filter_subject: commandSubject(B), ack_policy: "explicit" } };
    const answer = (await execA.nc.request(subject, JSON.stringify(body), { timeout: 5000 })).json<{ error?: { err_code: number; description: string } }>();
    expect(answer.error).toMatchObject({ err_code: 10131, description: expect.stringMatching(/did not match filtered subject/) });
    // Nor can the body widen it to every leaf: an empty filter is not A's subject either.
    const wide = (await execA.nc.request(subject, JSON.stringify({ ...body, config: { ...body.config, filter_subject: "" } }), { timeout: 5000 })).json<{ error?: { err_code: number } }>();
    expect(wide.error?.err_code).toBe(10131);
    await unchanged();
  });

  it("B's own consumer (executor-B) cannot be created, pulled from or deleted", async () => {
    const name = commandConsumerName(B);
    await refused(executorA, execA.jsm.consumers.add(COMMANDS_STREAM, { durable_name: name, filter_subject: commandSubject(B) }), "publish", `$JS.API.CONSUMER.CREATE.${COMMANDS_STREAM}.${name}.${commandSubject(B)}`);
    await refused(executorA, execA.nc.request(`$JS.API.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${name}`, JSON.stringify({ batch: 1, expires: 1e9 }), { timeout: 5000 }), "publish", `$JS.API.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${name}`);
    await refused(executorA, execA.jsm.consumers.delete(COMMANDS_STREAM, name), "publish", `$JS.API.CONSUMER.DELETE.${COMMANDS_STREAM}.${name}`);
    await unchanged();
  });

  it("getting B's command from the stream by message get or direct get is refused", async () => {
    await refused(executorA, execA.jsm.streams.getMessage(COMMANDS_STREAM, { last_by_subj: commandSubject(B) }), "publish", `$JS.API.STREAM.MSG.GET.${COMMANDS_STREAM}`);
    await refused(executorA, execA.jsm.direct.getMessage(COMMANDS_STREAM, { last_by_subj: commandSubject(B) }), "publish", `$JS.API.DIRECT.GET.${COMMANDS_STREAM}.${commandSubject(B)}`);
    await unchanged();
  });

  it("reading a cancel left for B's waiting deployment, or for any leaf's, by direct get is refused; A's own plain commands stay unreadable too", async () => {
    for (const subject of [cancelBeforeStartSubject(B, waiting), cancelBeforeStartSubject("*", waiting), commandSubject(A)]) {
      await refused(executorA, execA.jsm.direct.getMessage(COMMANDS_STREAM, { last_by_subj: subject }), "publish", `$JS.API.DIRECT.GET.${COMMANDS_STREAM}.${subject}`);
    }
    await unchanged();
  });

  it("reading every inbox (_INBOX.>) is refused", async () => {
    await refused(executorA, subscribed(execA.nc, "_INBOX.>"), "subscription", "_INBOX.>");
    await unchanged();
  });

  it("reading another identity's inbox prefix (B's executor's, the browser's) is refused", async () => {
    for (const other of [identityName({ role: "executor", leafId: B }), identityName(browser)]) {
      await refused(executorA, subscribed(execA.nc, `${inboxPrefixOf(other)}.>`), "subscription", `${inboxPrefixOf(other)}.>`);
    }
    await unchanged();
  });
});

describe("leaf A's executor credentials cannot write what is leaf B's", () => {
  it("writing B's registry entry is refused", async () => {
    const leaves = await new Kvm(execA.js).open(LEAVES_BUCKET);
    await refused(executorA, leaves.put(B, JSON.stringify({ leafId: B, status: "idle" })), "publish", kvSubject(LEAVES_BUCKET, B));
    await unchanged();
  });

  it("writing B's deployment summary is refused", async () => {
    const kv = await new Kvm(execA.js).open(DEPLOYMENTS_BUCKET);
    const key = deploymentKey(B, deployed);
    await refused(executorA, kv.put(key, JSON.stringify({ deploymentId: deployed, leafId: B, state: "failed" })), "publish", kvSubject(DEPLOYMENTS_BUCKET, key));
    await unchanged();
  });

  it("writing B's stored files (so that a rollback on B deploys A's files) is refused", async () => {
    const kv = await new Kvm(execA.js).open(FLAKES_BUCKET);
    const key = deploymentKey(B, deployed);
    await refused(executorA, kv.put(key, JSON.stringify({ "flake.nix": "{ evil }" })), "publish", kvSubject(FLAKES_BUCKET, key));
    await unchanged();
  });

  it("reading B's stored files or summary by direct get is refused", async () => {
    for (const bucket of [FLAKES_BUCKET, DEPLOYMENTS_BUCKET]) {
      const subject = kvSubject(bucket, deploymentKey(B, deployed));
      await refused(executorA, execA.jsm.direct.getMessage(`KV_${bucket}`, { last_by_subj: subject }), "publish", `$JS.API.DIRECT.GET.KV_${bucket}.${subject}`);
    }
    await unchanged();
  });

  it("publishing an event as B, into B's deployment, is refused", async () => {
    const subject = eventSubject(B, deployed);
    const event = { v: 1, deploymentId: deployed, leafId: B, seq: 99, ts: new Date().toISOString(), type: "failed", error: { code: "E_STEP_FAILED", message: "forged" } };
    await refused(executorA, execA.js.publish(subject, JSON.stringify(event)), "publish", subject);
    await unchanged();
  });

  it("publishing any command, to B or to A itself, is refused", async () => {
    for (const leaf of [B, A]) {
      await refused(executorA, execA.js.publish(commandSubject(leaf), JSON.stringify(deployCommand(leaf))), "publish", commandSubject(leaf));
    }
    await unchanged();
  });

  it("a rollup on A's own key (Nats-Rollup: all would empty the whole bucket) is refused by the bucket", async () => {
    const h = headers();
    h.set("Nats-Rollup", "all");
    const e = await execA.js.publish(kvSubject(DEPLOYMENTS_BUCKET, deploymentKey(A, "d-wipe")), "{}", { headers: h }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(JetStreamApiError);
    expect((e as Error).message).toMatch(/rollup/i);
    await unchanged();
  });

  it("a consumer on the summaries (whose deliver subject could copy A's entries onto B's subjects) is refused", async () => {
    const subject = `$JS.API.CONSUMER.CREATE.KV_${DEPLOYMENTS_BUCKET}.copy.${kvSubject(DEPLOYMENTS_BUCKET, deploymentKey(A, ">"))}`;
    await refused(executorA, execA.jsm.consumers.add(`KV_${DEPLOYMENTS_BUCKET}`, { name: "copy", filter_subject: kvSubject(DEPLOYMENTS_BUCKET, deploymentKey(A, ">")), deliver_subject: eventSubject(B, deployed) }), "publish", subject);
    await unchanged();
  });

  it("reading, changing or watching the team's designs is refused: they are no leaf's business", async () => {
    const subject = kvSubject(DESIGNS_BUCKET, DESIGN);
    await refused(executorA, execA.jsm.direct.getMessage(`KV_${DESIGNS_BUCKET}`, { last_by_subj: subject }), "publish", `$JS.API.DIRECT.GET.KV_${DESIGNS_BUCKET}.${subject}`);
    await refused(executorA, execA.js.publish(subject, "{}"), "publish", subject);
    await refused(executorA, execA.jsm.consumers.add(`KV_${DESIGNS_BUCKET}`, { name: "peek", filter_subject: subject }), "publish", `$JS.API.CONSUMER.CREATE.KV_${DESIGNS_BUCKET}.peek.${subject}`);
    await unchanged();
  });

  storesUntouchable(executorA, () => execA);
});

describe("leaf A's leaf server cannot do B's things over its leafnode connection", () => {
  /**
   * The hub only lets through what leaf-A may publish and only sends what it may receive, and
   * leaf A's server is told so and does not even forward the rest: a refused request gets no
   * answer. After each attempt an allowed request over the same link shows the link up and
   * the attempt behind it.
   */
  const jsOnLeaf = () => jetstream(onLeafA, { domain: "hub" });
  const linkUp = async () => expect((await (await jetstreamManager(onLeafA, { domain: "hub" })).getAccountInfo()).streams).toBe(STORES.length);
  const unanswered = async (attempt: Promise<unknown>) => {
    const e = await attempt.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e, "the request must fail").toBeInstanceOf(Error);
    // No responders (JetStream's publish calls that JetStreamNotEnabled): leaf A's server knows nobody there.
    expect((e as Error).name).toMatch(/NoRespondersError|JetStreamNotEnabled|TimeoutError|RequestError/);
    await linkUp();
  };

  it("B's commands never cross the link, whoever subscribes to them on leaf A", async () => {
    const got: string[] = [];
    const subs: Subscription[] = [commandSubject(B), "cim.deploy.commands.>", "_INBOX.>", `${inboxPrefixOf(identityName({ role: "executor", leafId: B }))}.>`].map((subject) =>
      onLeafA.subscribe(subject, {
        callback: (_e, m) => {
          got.push(m.subject);
        },
      }),
    );
    const marker = `${inboxPrefixOf(identityName(executorA))}.marker`;
    const markerSeen = new Promise<void>((resolve) => onLeafA.subscribe(marker, { max: 1, callback: () => resolve() }));
    await onLeafA.flush();
    await linkUp();
    // One publisher, in order: a B command, a reply to B's executor, then a message leaf A may receive.
    const extra = await s.t.js.publish(commandSubject(B), JSON.stringify(deployCommand(B)));
    s.t.nc.publish(`${inboxPrefixOf(identityName({ role: "executor", leafId: B }))}.x`, "reply for B");
    s.t.nc.publish(marker, "for A");
    await markerSeen;
    for (const sub of subs) sub.unsubscribe();
    expect(got.filter((subject) => subject !== marker)).toEqual([]);
    // The command sent above is not one of the attack's: take it away again; only the stream's last sequence moved.
    await s.t.jsm.streams.deleteMessage(COMMANDS_STREAM, extra.seq);
    const after = await snapshot();
    const commands = after.streams.find((x) => x.name === COMMANDS_STREAM)!;
    expect(commands.last).toBe(extra.seq);
    commands.last = before.streams.find((x) => x.name === COMMANDS_STREAM)!.last;
    expect(after).toEqual(before);
    before = await snapshot();
  });

  it("writing B's registry entry, summary or files through the link goes nowhere", async () => {
    const js = jsOnLeaf();
    for (const [bucket, key] of [[LEAVES_BUCKET, B], [DEPLOYMENTS_BUCKET, deploymentKey(B, deployed)], [FLAKES_BUCKET, deploymentKey(B, deployed)]] as const) {
      const kv = await new Kvm(js).open(bucket);
      await unanswered(kv.put(key, JSON.stringify({ forged: true }), { timeout: 1500 }));
    }
    await unchanged();
  });

  it("publishing events as B or any command through the link goes nowhere", async () => {
    const js = jsOnLeaf();
    await unanswered(js.publish(eventSubject(B, deployed), JSON.stringify({ type: "failed" }), { timeout: 1500 }));
    await unanswered(js.publish(commandSubject(B), JSON.stringify(deployCommand(B)), { timeout: 1500 }));
    await unchanged();
  });

  it("pulling from executor-B, making a consumer on B's commands, or reading B's files through the link goes nowhere", async () => {
    const api = "$JS.hub.API";
    await unanswered(onLeafA.request(`${api}.CONSUMER.MSG.NEXT.${COMMANDS_STREAM}.${commandConsumerName(B)}`, JSON.stringify({ batch: 1 }), { timeout: 1500 }));
    await unanswered(onLeafA.request(`${api}.CONSUMER.CREATE.${COMMANDS_STREAM}.${commandConsumerName(B)}.${commandSubject(B)}`, JSON.stringify({ stream_name: COMMANDS_STREAM, config: { durable_name: commandConsumerName(B), filter_subject: commandSubject(B) } }), { timeout: 1500 }));
    await unanswered(onLeafA.request(`${api}.DIRECT.GET.KV_${FLAKES_BUCKET}.${kvSubject(FLAKES_BUCKET, deploymentKey(B, deployed))}`, "", { timeout: 1500 }));
    await unanswered(onLeafA.request(`${api}.STREAM.MSG.GET.${COMMANDS_STREAM}`, JSON.stringify({ last_by_subj: commandSubject(B) }), { timeout: 1500 }));
    await unanswered(onLeafA.request(`${api}.DIRECT.GET.${COMMANDS_STREAM}.${cancelBeforeStartSubject(B, waiting)}`, "", { timeout: 1500 }));
    await unchanged();
  });

  it("purging or deleting any stream or bucket through the link goes nowhere, with or without the domain", async () => {
    for (const store of STORES) {
      for (const api of ["$JS.hub.API", "$JS.API"]) {
        await unanswered(onLeafA.request(`${api}.STREAM.PURGE.${store}`, "", { timeout: 1500 }));
        await unanswered(onLeafA.request(`${api}.STREAM.DELETE.${store}`, "", { timeout: 1500 }));
      }
    }
    await unchanged();
  });

  it("its credentials used as a plain client are refused the same things (here: B's summary, purging events)", async () => {
    const nc = await s.connectAs(leafServerA, { inboxPrefix: inboxPrefixOf(identityName(executorA)) });
    try {
      const js = jetstream(nc);
      const key = deploymentKey(B, deployed);
      await refused(leafServerA, (await new Kvm(js).open(DEPLOYMENTS_BUCKET)).put(key, "{}"), "publish", kvSubject(DEPLOYMENTS_BUCKET, key));
      await refused(leafServerA, nc.request(`$JS.API.STREAM.PURGE.${EVENTS_STREAM}`, "", { timeout: 5000 }), "publish", `$JS.API.STREAM.PURGE.${EVENTS_STREAM}`);
      await refused(leafServerA, subscribed(nc, commandSubject(B)), "subscription", commandSubject(B));
    } finally {
      await nc.close();
    }
    await unchanged();
  });
});

describe("the browser's credentials send commands and read, and nothing else", () => {
  it("publishing an event is refused", async () => {
    const subject = eventSubject(B, deployed);
    await refused(browser, person.js.publish(subject, JSON.stringify({ type: "succeeded" })), "publish", subject);
    await unchanged();
  });

  it("writing the registry is refused", async () => {
    await refused(browser, (await new Kvm(person.js).open(LEAVES_BUCKET)).put(B, "{}"), "publish", kvSubject(LEAVES_BUCKET, B));
    await unchanged();
  });

  it("writing a summary or stored files is refused", async () => {
    const key = deploymentKey(B, deployed);
    await refused(browser, (await new Kvm(person.js).open(DEPLOYMENTS_BUCKET)).put(key, "{}"), "publish", kvSubject(DEPLOYMENTS_BUCKET, key));
    await refused(browser, (await new Kvm(person.js).open(FLAKES_BUCKET)).put(key, "{}"), "publish", kvSubject(FLAKES_BUCKET, key));
    await unchanged();
  });

  it("deleting an executor's consumer (which would stop it taking commands) is refused", async () => {
    await refused(browser, person.jsm.consumers.delete(COMMANDS_STREAM, commandConsumerName(B)), "publish", `$JS.API.CONSUMER.DELETE.${COMMANDS_STREAM}.${commandConsumerName(B)}`);
    await unchanged();
  });

  it("a person granted only leaf A cannot leave a cancel for B's waiting deployment", async () => {
    const personA: Role = { role: "operator", name: "person-a", leaves: [A] };
    const nc = await s.connectAs(personA);
    try {
      const subject = cancelBeforeStartSubject(B, waiting);
      await refused(personA, jetstream(nc).publish(subject, "{}"), "publish", subject);
    } finally {
      await nc.close();
    }
    await unchanged();
  });

  it("a person may save designs, but not wipe a design's history (a KV purge is a rollup, which the bucket refuses)", async () => {
    const designs = await new Kvm(person.js).open(DESIGNS_BUCKET);
    const e = await designs.purge(DESIGN).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(JetStreamApiError);
    expect((e as Error).message).toMatch(/rollup/i);
    await unchanged();
  });

  storesUntouchable(browser, () => person);
});

describe("without this hub's credentials nobody connects", () => {
  it("a client with no credentials is refused", async () => {
    const e = await connect({ servers: `nats://127.0.0.1:${s.t.hub.port}`, reconnect: false }).then(
      (nc) => nc.close(),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AuthorizationError);
    await hubLogged(/authentication error|Authorization Violation/i);
    await unchanged();
  });

  it("a user signed by another authority (a forged account key) is refused", async () => {
    const forged = await issueIdentity(await createAuthority(), executorA);
    const e = await connect({ servers: `nats://127.0.0.1:${s.t.hub.port}`, reconnect: false, authenticator: credsAuthenticator(new TextEncoder().encode(forged.creds)) }).then(
      (nc) => nc.close(),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AuthorizationError);
    await unchanged();
  });
});
