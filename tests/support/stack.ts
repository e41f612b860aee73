import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { freePort, portIsFree } from "../../src/cli/stack/ports";
import { inboxPrefixOf } from "../../src/core/protocol";
import { grantedInboxPrefix, parseCreds } from "../../src/core/protocol/creds";

export const REPO = new URL("../..", import.meta.url).pathname;
export const ALCHEMIST_BIN = join(REPO, "bin/alchemist.mjs");

export interface StackPorts {
  http: number;
  client: number;
  websocket: number;
  leafnode: number;
  monitor: number;
}

export interface RunningStack {
  url: string;
  /** The login link `up` printed: the app's URL with the browser's creds in the fragment. */
  loginUrl: string;
  ports: StackPorts;
  stateDir: string;
  process: ChildProcess;
  output: () => string;
  /** pid of the hub's nats-server, from the pid file it writes. */
  hubPid: () => number;
  /** A client on the hub's client port, logged in as `identity` (a creds file `up` made; default admin). */
  connect: (identity?: string) => Promise<NatsConnection>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** The path of a creds file in a state folder: `admin`, `browser`, `executor-local`, `leaf-x`… */
export const stackCreds = (stateDir: string, identity = "admin") => join(stateDir, "creds", `${identity}.creds`);

/** A NATS client logged in with a creds file, on the inbox prefix it grants (as the browser picks it). */
/** The public user key of one of the stack's identities, from its creds file's JWT. */
export function stackPublicKey(stateDir: string, identity: string): string {
  const parsed = parseCreds(readFileSync(stackCreds(stateDir, identity), "utf8"));
  if (!parsed.ok) throw new Error(`${stackCreds(stateDir, identity)}: ${parsed.message}`);
  return parsed.value.publicKey;
}

export function connectWithCreds(servers: string, credsFile: string, name = "test-client"): Promise<NatsConnection> {
  const creds = readFileSync(credsFile, "utf8");
  const parsed = parseCreds(creds);
  if (!parsed.ok) throw new Error(`${credsFile}: ${parsed.message}`);
  const inboxPrefix = grantedInboxPrefix(parsed.value.subscribe, inboxPrefixOf(parsed.value.name));
  return connect({ servers, name, authenticator: credsAuthenticator(new TextEncoder().encode(creds)), inboxPrefix });
}

export async function freePorts(): Promise<StackPorts> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort());
  const [http, client, websocket, leafnode, monitor] = [...ports] as [number, number, number, number, number];
  return { http, client, websocket, leafnode, monitor };
}

/**
 * Ports for a stack whose hub has `members` nats-servers: member i takes each port + i, so each
 * port starts a run of free ones (and `cluster`, the route ports, one more). Random bases, each
 * run checked free, so parallel test files rarely meet.
 */
export async function freePortRuns(members: number): Promise<StackPorts & { cluster: number }> {
  const taken = new Set<number>();
  const run = async (): Promise<number> => {
    for (;;) {
      const base = 20_000 + Math.floor(Math.random() * 40_000);
      const ports = Array.from({ length: members }, (_, i) => base + i);
      if (ports.some((p) => taken.has(p))) continue;
      if ((await Promise.all(ports.map((p) => portIsFree("127.0.0.1", p)))).every(Boolean)) {
        for (const p of ports) taken.add(p);
        return base;
      }
    }
  };
  return { http: await run(), client: await run(), websocket: await run(), leafnode: await run(), monitor: await run(), cluster: await run() };
}

export function portArgs(p: StackPorts): string[] {
  return Object.entries(p).flatMap(([name, port]) => [`--${name}-port`, String(port)]);
}

/** Runs the real `alchemist up` (the built CLI) on free ports and waits for it to print its URL. */
/**
 * `env` reaches every process of the stack, the executor included: a test puts the fake
 * nixos-rebuild first on PATH and names its control folder with FAKE_NIXOS_CONTROL.
 */
/**
 * `stateDir`: a state folder the caller owns (kept when the stack stops, so a second stack on
 * it reuses the same authority and creds); by default a fresh one, removed on stop.
 */
export async function startStack(opts: { ports?: StackPorts; timeoutMs?: number; env?: NodeJS.ProcessEnv; stateDir?: string; args?: string[] } = {}): Promise<RunningStack> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ports = opts.ports ?? (await freePorts());
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), "alchemist-stack-"));
  const child = spawn(process.execPath, [ALCHEMIST_BIN, "up", "--state-dir", stateDir, ...portArgs(ports), ...(opts.args ?? [])], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...opts.env },
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const [url, loginUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`alchemist up did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const m = /Alchemist is up: (http:\/\/\S+)\n.*?(http:\/\/\S+#login=\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve([m[1]!, m[2]!]);
      }
    };
    child.stdout.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`alchemist up exited with ${code} before it was up:\n${output}`));
    });
  });

  return {
    url,
    loginUrl,
    ports,
    stateDir,
    process: child,
    output: () => output,
    hubPid: () => Number(readFileSync(join(stateDir, "nats-server.pid"), "utf8").trim()),
    connect: (identity = "admin") => connectWithCreds(`nats://127.0.0.1:${ports.client}`, stackCreds(stateDir, identity)),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Polls `probe` until it gives a value (a throw counts as not yet), for at most `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the CLI to completion, for bad-input tests. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ALCHEMIST_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
