import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import type { ConnectionOptions, NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { freePort } from "../../src/cli/stack/ports";
import { DEPLOYMENTS_BUCKET, EVENTS_STREAM, FLAKES_BUCKET, LEAVES_BUCKET, commandSubject, deploymentEventsFilter, deploymentKey, isTerminal, type DeployEvent, type DeploymentSummary, type LeafRecord } from "../../src/core/protocol";
import { ALCHEMIST_BIN, REPO, connectWithCreds, runCli, stackCreds, stackPublicKey } from "./stack";
import { TEST_SIGNER, TEST_TRUSTED_KEYS, signedMessage } from "./signing";
import type { CommandSigner } from "../../src/core/protocol";
import { fakeMachine } from "./fakeMachine";

export const FAKE_BIN = join(REPO, "tests/fixtures/bin");

export interface NatsServerProc {
  output(): string;
  port: number;
  monitor: number;
  leafPort: number;
  proc: ChildProcess;
  stop(): Promise<void>;
  /** Starts the server again with the same configuration (and JetStream store). */
  restart(): Promise<void>;
}

async function waitHealthy(monitor: number, proc: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`nats-server exited: ${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${monitor}/healthz`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server not healthy: ${output()}`);
}

/**
 * A real nats-server from a config text; `{port}` etc. are filled in. A port found free can be
 * taken by another test process before the server binds it (seen in CI: "address already in
 * use" on the leafnode port): the first start then tries again on other ports.
 */
async function natsServer(dir: string, name: string, body: (p: { port: number; monitor: number; leafPort: number }) => string): Promise<NatsServerProc> {
  const conf = join(dir, `${name}.conf`);
  let out = "";
  let ports = { port: 0, monitor: 0, leafPort: 0 };
  const launch = async () => {
    const proc = spawn("nats-server", ["-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
    proc.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    await waitHealthy(ports.monitor, proc, () => out);
    return proc;
  };
  let first: ChildProcess | undefined;
  for (let attempt = 1; !first; attempt++) {
    ports = { port: await freePort(), monitor: await freePort(), leafPort: await freePort() };
    writeFileSync(conf, `server_name: ${name}\nlisten: 127.0.0.1:${ports.port}\nhttp: 127.0.0.1:${ports.monitor}\nmax_payload: 8MB\n${body(ports)}\n`);
    out = "";
    first = await launch().catch((e: unknown) => {
      if (attempt < 3 && /address already in use/.test(out)) return undefined;
      throw e;
    });
  }
  const server: NatsServerProc = {
    ...ports,
    output: () => out,
    proc: first,
    async stop() {
      if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
      const exited = new Promise((r) => server.proc.once("exit", r));
      server.proc.kill("SIGTERM");
      await exited;
    },
    async restart() {
      server.proc = await launch();
    },
  };
  return server;
}

export interface ExecutorProc {
  leafId: string;
  workDir: string;
  control: string;
  proc: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Waits until a leaf server's link to its hub is up. */
async function leafLinked(leaf: NatsServerProc): Promise<NatsServerProc> {
  for (let i = 0; i < 200; i++) {
    const leafz = (await (await fetch(`http://127.0.0.1:${leaf.monitor}/leafz`)).json()) as { leafnodes?: number };
    if ((leafz.leafnodes ?? 0) > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return leaf;
}

/**
 * A NATS leaf server linked to the hub whose leafnodes port is `hubLeafPort` (a Topology's, or
 * `alchemist up`'s); with `credentials`, a .creds file, its leafnode connection logs in with it.
 */
export async function startLeafServer(dir: string, name: string, hubLeafPort: number, credentials?: string): Promise<NatsServerProc> {
  const auth = credentials ? `, credentials: ${JSON.stringify(credentials)}` : "";
  return leafLinked(await natsServer(dir, name, () => `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${hubLeafPort}"${auth} } ] }`));
}

export interface ExecutorOptions {
  control?: string;
  workDir?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  /** --trusted-keys (default: the tests' signer); null gives none. */
  trustedKeys?: string | null;
  /** The output that says it is up (default: it takes commands). */
  ready?: string;
}

/**
 * `alchemist executor` on a leaf server, with the fake nixos-rebuild, nix-env and systemctl on
 * PATH, controlled through `control` (default `<dir>/control-<leafId>`), on the fake machine
 * there (tests/support/fakeMachine.ts). Its `nix` is one not on this machine: the compiled
 * flakes' inputs are on GitHub, which tests do not reach, so these leaves lock nothing (prepare
 * says so); a test of locking gives `ALCHEMIST_NIX` and local inputs.
 */
export async function startExecutor(dir: string, leafId: string, leaf: { port: number }, opts: ExecutorOptions = {}): Promise<ExecutorProc> {
  const control = opts.control ?? join(dir, `control-${leafId}`);
  const workDir = opts.workDir ?? join(dir, `work-${leafId}`);
  const trusted = opts.trustedKeys === undefined ? TEST_TRUSTED_KEYS : opts.trustedKeys;
  // The tests' instances are not named like this machine, which is all an executor serves unless told.
  const instances = opts.args?.includes("--instances") || opts.env?.ALCHEMIST_INSTANCES !== undefined ? [] : ["--instances", "*"];
  mkdirSync(control, { recursive: true });
  // The paths a rollback reads and restores, on the fake machine beside the fake tools.
  const machine = fakeMachine(control).env;
  const proc = spawn(
    process.execPath,
    [ALCHEMIST_BIN, "executor", "--leaf-id", leafId, "--servers", `nats://127.0.0.1:${leaf.port}`, "--work-dir", workDir, ...(trusted === null ? [] : ["--trusted-keys", trusted]), ...instances, ...(opts.args ?? [])],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PATH: `${FAKE_BIN}:${process.env.PATH}`, FAKE_NIXOS_CONTROL: control, ALCHEMIST_NIX: join(control, "no-nix-on-test-leaves"), ...machine, ...opts.env } },
  );
  let out = "";
  const onData = (c: Buffer) => (out += c.toString());
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const ready = opts.ready ?? "takes commands";
  for (let i = 0; i < 400 && !out.includes(ready); i++) {
    if (proc.exitCode !== null) throw new Error(`executor exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!out.includes(ready)) throw new Error(`executor did not start: ${out}`);
  return {
    leafId,
    workDir,
    control,
    proc,
    output: () => out,
    async kill(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

/** Every event of a deployment so far, from the events stream of the hub `js` talks to, in stream order. */
export async function readEvents(js: JetStreamClient, jsm: JetStreamManager, deploymentId: string): Promise<DeployEvent[]> {
  const out: DeployEvent[] = [];
  // nats-server 2.9 knows only the single filter_subject, which ordered consumers no longer send.
  const created = await jsm.consumers.add(EVENTS_STREAM, {
    filter_subject: deploymentEventsFilter(deploymentId),
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.None,
    inactive_threshold: 30e9,
  });
  const consumer = await js.consumers.get(EVENTS_STREAM, created.name);
  const info = await consumer.info(true);
  let pending = info.num_pending;
  while (pending > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 500), expires: 2000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      // A test may publish garbage into a deployment's subject (what the browser must survive):
      // what is JSON comes back as it is, valid or not, for the test to judge; the rest is left out.
      try {
        out.push(m.json<DeployEvent>());
      } catch {
        continue;
      }
    }
    if (got === 0) break;
    pending -= got;
  }
  await consumer.delete().catch(() => undefined);
  return out;
}

/**
 * A leaf beside a running `alchemist up`, joined the way docs/local-stack.md says: `alchemist
 * creds --leaf-id` makes its creds and leaf server settings from the stack's authority; a leaf
 * server with them linked to the stack's hub, an executor on it with its own creds (fake
 * nixos-rebuild, controlled through `executor.control`), and an admin client on the hub to read
 * what the browser should be showing.
 */
export async function leafBesideStack(
  stack: { ports: { client: number; leafnode: number }; stateDir: string },
  leafId: string,
  /** The hub's leafnode ports the leaf server may link to (default the stack's one; every member's for a cluster). */
  leafnodePorts: readonly number[] = [stack.ports.leafnode],
): Promise<{
  leaf: NatsServerProc;
  executor: ExecutorProc;
  nc: NatsConnection;
  events(deploymentId: string): Promise<DeployEvent[]>;
  /** Stops the executor (SIGTERM: it marks the leaf offline), leaving the leaf registered and its commands waiting. */
  stopExecutor(): Promise<void>;
  /** Starts the executor again, as it was: same work and control folders, keys and creds. */
  startExecutorAgain(): Promise<ExecutorProc>;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-leaf-"));
  const made = await runCli(["creds", "--leaf-id", leafId, "--state-dir", stack.stateDir, "--hub-leafnodes", leafnodePorts.map((p) => `nats-leaf://127.0.0.1:${p}`).join(",")]);
  if (made.code !== 0) throw new Error(`alchemist creds --leaf-id ${leafId} failed: ${made.stderr}`);
  const leafConf = readFileSync(join(stack.stateDir, "creds", `leaf-${leafId}.conf`), "utf8");
  const leaf = await leafLinked(await natsServer(dir, leafId, () => leafConf));
  // It runs what the stack's browser signs, and what tests sign with the test key.
  const trustedKeys = `${TEST_TRUSTED_KEYS},${stackPublicKey(stack.stateDir, "browser")} browser`;
  const executorOpts: ExecutorOptions = { trustedKeys, args: ["--creds-file", stackCreds(stack.stateDir, `executor-${leafId}`)] };
  const executor = await startExecutor(dir, leafId, leaf, executorOpts);
  const nc = await connectWithCreds(`nats://127.0.0.1:${stack.ports.client}`, stackCreds(stack.stateDir));
  const js = jetstream(nc, { domain: "hub" });
  const jsm = await jetstreamManager(nc, { domain: "hub" });
  const handle = {
    leaf,
    executor,
    nc,
    events: (id: string) => readEvents(js, jsm, id),
    stopExecutor: () => handle.executor.kill("SIGTERM"),
    async startExecutorAgain() {
      await handle.executor.kill("SIGTERM");
      handle.executor = await startExecutor(dir, leafId, leaf, executorOpts);
      return handle.executor;
    },
    async stop() {
      await handle.executor.kill("SIGKILL");
      await nc.close().catch(() => undefined);
      await leaf.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * The deploy topology of PROTOCOL.md on one machine: a hub (JetStream domain "hub",
 * leafnodes port) and leaf servers linked to it; executors on the leaves; a client on the hub.
 */
export class Topology {
  readonly dir = mkdtempSync(join(tmpdir(), "alchemist-topology-"));
  hub!: NatsServerProc;
  readonly leaves = new Map<string, NatsServerProc>();
  readonly executors: ExecutorProc[] = [];
  nc!: NatsConnection;
  js!: JetStreamClient;
  jsm!: JetStreamManager;

  /** `authorization` is a NATS config block for the hub; `client` is who the test client logs in as. */
  /** `leafAdvertise`: the port the hub tells leaf servers to reconnect to (a relay in front of its leafnodes port). */
  static async start(opts: { authorization?: string; client?: Partial<ConnectionOptions>; leafAdvertise?: number } = {}): Promise<Topology> {
    const t = new Topology();
    t.hub = await natsServer(t.dir, "hub", (p) => `jetstream { store_dir: "${join(t.dir, "js")}", domain: hub }\nleafnodes { listen: 127.0.0.1:${p.leafPort}${opts.leafAdvertise ? `, advertise: "127.0.0.1:${opts.leafAdvertise}"` : ""} }\n${opts.authorization ?? ""}`);
    t.nc = await connect({ servers: `nats://127.0.0.1:${t.hub.port}`, name: "test-client", ...opts.client });
    t.js = jetstream(t.nc, { domain: "hub" });
    t.jsm = await jetstreamManager(t.nc, { domain: "hub" });
    return t;
  }

  async addLeaf(name: string, credentials?: string): Promise<NatsServerProc> {
    const leaf = await startLeafServer(this.dir, name, this.hub.leafPort, credentials);
    this.leaves.set(name, leaf);
    return leaf;
  }

  /** Starts `alchemist executor` on a leaf server, with the fake nixos-rebuild and systemctl on PATH. */
  async startExecutor(leafId: string, leaf: { port: number }, opts: ExecutorOptions = {}): Promise<ExecutorProc> {
    const e = await startExecutor(this.dir, leafId, leaf, opts);
    this.executors.push(e);
    return e;
  }

  /** Publishes a command the way a browser does: JetStream on the hub, deduplicated by its id, signed (null: unsigned). */
  async send(command: Record<string, unknown>, msgID = String(command.commandId), signer: CommandSigner | null = TEST_SIGNER): Promise<void> {
    const m = signedMessage(JSON.stringify(command), signer);
    await this.js.publish(commandSubject(String(command.leafId)), m.data, { msgID, headers: m.headers });
  }

  async sendRaw(leafId: string, data: string | Uint8Array, signer: CommandSigner | null = TEST_SIGNER): Promise<void> {
    const m = signedMessage(data, signer);
    await this.js.publish(commandSubject(leafId), m.data, { headers: m.headers });
  }

  /** Every event of a deployment so far, from the events stream, in stream order. */
  events(deploymentId: string): Promise<DeployEvent[]> {
    return readEvents(this.js, this.jsm, deploymentId);
  }

  /** Waits until a deployment's events satisfy `until` (default: a terminal event), and returns them. */
  async waitFor(deploymentId: string, until: (events: DeployEvent[]) => boolean = (es) => es.some(isTerminal), timeoutMs = 30_000): Promise<DeployEvent[]> {
    const deadline = Date.now() + timeoutMs;
    let es: DeployEvent[] = [];
    for (;;) {
      // The hub may be restarting (tests that stop it): keep asking until the deadline.
      es = await this.events(deploymentId).catch(() => es);
      if (until(es)) return es;
      if (Date.now() > deadline) throw new Error(`timed out waiting on ${deploymentId}; events so far: ${es.map((e) => e.type + ("step" in e ? `:${e.step}` : "")).join(", ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async summary(leafId: string, deploymentId: string): Promise<DeploymentSummary | undefined> {
    const kv = await new Kvm(this.js).open(DEPLOYMENTS_BUCKET);
    const e = await kv.get(deploymentKey(leafId, deploymentId));
    return e?.length ? e.json<DeploymentSummary>() : undefined;
  }

  /** The files a leaf stored for a deployment in cim_flakes, as text (undefined when there are none). */
  async storedFiles(leafId: string, deploymentId: string): Promise<string | undefined> {
    const kv = await new Kvm(this.js).open(FLAKES_BUCKET);
    const e = await kv.get(deploymentKey(leafId, deploymentId));
    return e?.length ? e.string() : undefined;
  }

  async leafRecord(leafId: string): Promise<LeafRecord | undefined> {
    const kv = await new Kvm(this.js).open(LEAVES_BUCKET);
    const e = await kv.get(leafId);
    return e?.length ? e.json<LeafRecord>() : undefined;
  }

  async stop(): Promise<void> {
    for (const e of this.executors) await e.kill("SIGKILL");
    await this.nc?.close().catch(() => undefined);
    for (const l of this.leaves.values()) await l.stop();
    await this.hub?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The significant events of a deployment, in order: everything but logs and progress. */
export function milestones(events: DeployEvent[]): string[] {
  return events
    .filter((e) => e.type !== "step-log" && e.type !== "step-progress")
    .map((e) => {
      switch (e.type) {
        case "step-started":
          return `start ${e.step}`;
        case "step-finished":
          return `${e.step} ${e.status}`;
        case "unit-status":
          return `unit ${e.unit} ${e.active ? "active" : e.state}`;
        case "failed":
          return `failed ${e.error.code}`;
        default:
          return e.type;
      }
    });
}
