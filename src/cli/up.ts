import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { makeDirs } from "./dirs";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { AlchemistFailure, err, formatError, isAlchemistFailure, messageOf, reasonOf } from "../core/errors";
import { STORE_LIMITS_ENV, parseStoreLimits, type StoreLimits } from "../core/protocol";
import { ensureDeployStores } from "../executor/jetstreamSetup";
import { hubTrustConfig, loadOrCreateAuthority, type Identity } from "./auth/authority";
import { authDirOf, credsDirOf, loginLink, stateIdentity } from "./auth/stateCreds";
import { parseFlags, subjectTokenFlag } from "./args";
import type { Command } from "./command";
import { assertPortsUsable, parsePort } from "./stack/ports";
import { hubConfigText, type HubPorts } from "./stack/hubConfig";
import { appOrigins, parseOrigin } from "./stack/origins";
import { resolveNatsServer } from "./stack/natsBinary";
import { serveWebApp } from "./stack/staticServer";
import { Supervised } from "./stack/supervise";
import { Reaper } from "./stack/reaper";
import { copySingleHubIntoCluster, setAsideSingleHub } from "./stack/singleToCluster";
import { connectAsAdmin } from "./stack/adminConnection";
import { lockStateDir } from "./stack/stateLock";

const HELP = `usage: alchemist up [options]

Starts the local stack: a NATS hub (JetStream domain "hub", WebSocket, leafnodes,
monitoring), a local executor (leaf id "local") and the web app, and prints the URL and
the link that logs the browser in. Every NATS connection needs credentials: the first start
makes the hub's authority in <state>/auth and creds files in <state>/creds (admin, browser,
the local executor); later starts reuse them. Ctrl-C or SIGTERM stops everything.

options (environment variable in brackets):
  --state-dir DIR         where the hub config, JetStream store and pid file live
                          [ALCHEMIST_STATE_DIR] (default ./.alchemist)
  --host HOST             address every port binds to [ALCHEMIST_HOST] (default 127.0.0.1)
  --http-port N           web app [ALCHEMIST_HTTP_PORT] (default 8080)
  --client-port N         NATS clients [ALCHEMIST_CLIENT_PORT] (default 4222)
  --websocket-port N      NATS WebSocket for browsers [ALCHEMIST_WEBSOCKET_PORT] (default 9222)
  --leafnode-port N       NATS leafnode connections [ALCHEMIST_LEAFNODE_PORT] (default 7422)
  --monitor-port N        NATS monitoring [ALCHEMIST_MONITOR_PORT] (default 8222)
  --leaf-id ID            leaf id of the local executor [ALCHEMIST_LEAF_ID] (default local)
  --hub-nodes N           1, 3 or 5 nats-servers: more than one is a cluster on this host
                          (member i takes each port + i, routes on --cluster-port + i), its
                          stores kept in 3 copies; a single hub's stores are copied in at
                          its first start as a cluster [ALCHEMIST_HUB_NODES] (default 1)
  --cluster-port N        the first member's route port [ALCHEMIST_CLUSTER_PORT] (default 6222)
  --instances A,B|*       instances the local executor may deploy [ALCHEMIST_INSTANCES]
                          (default on NixOS: this machine's own host only; elsewhere *, since
                          nothing here can be switched)
  --allowed-origin URL    another origin whose pages may open the hub's WebSocket, e.g. the
                          Vite dev server http://localhost:5173; repeatable or a comma list
                          [ALCHEMIST_ALLOWED_ORIGINS] (always allowed: the web app's own)
  --store-limits LIST     age and size limits of the hub's streams and buckets, e.g.
                          events.age=7d,flakes.bytes=4GiB [ALCHEMIST_STORE_LIMITS]
                          (defaults in docs/protocol.md; applied at every start)
  --nats-server PATH      nats-server binary (default: found on PATH; installed with apt-get
                          when missing and running as root)
  --no-install            never install nats-server, only say what to install
`;

const HUB_NODE_COUNTS = [1, 3, 5];
/** Copies of each store on a cluster: any one member may be lost. */
const CLUSTER_REPLICAS = 3;

/** Member i of the hub (0 is the only one of a single hub, with the names it always had). */
interface HubMember {
  name: string;
  ports: HubPorts;
  routePort: number;
  file: (base: string, extension: string) => string;
}

function hubMembers(o: UpOptions): HubMember[] {
  return Array.from({ length: o.hubNodes }, (_, i) => {
    const suffix = i === 0 ? "" : `-${i + 1}`;
    return {
      name: `alchemist-hub${suffix}`,
      ports: { client: o.ports.client + i, websocket: o.ports.websocket + i, leafnode: o.ports.leafnode + i, monitor: o.ports.monitor + i },
      routePort: o.clusterPort + i,
      file: (base, extension) => join(o.stateDir, `${base}${suffix}${extension}`),
    };
  });
}

/** Longer than every child's stop (5 s each, then SIGKILL): past it, `up` exits and leaves the rest to the reaper. */
const STOP_DEADLINE_MS = 15_000;

const PORT_OPTIONS = {
  http: { env: "ALCHEMIST_HTTP_PORT", fallback: "8080" },
  client: { env: "ALCHEMIST_CLIENT_PORT", fallback: "4222" },
  websocket: { env: "ALCHEMIST_WEBSOCKET_PORT", fallback: "9222" },
  leafnode: { env: "ALCHEMIST_LEAFNODE_PORT", fallback: "7422" },
  monitor: { env: "ALCHEMIST_MONITOR_PORT", fallback: "8222" },
} as const;
type PortName = keyof typeof PORT_OPTIONS;

interface UpOptions {
  stateDir: string;
  host: string;
  ports: Record<PortName, number>;
  leafId: string;
  /** nats-servers of the hub: 1, or a cluster of 3 or 5 on this host. */
  hubNodes: number;
  clusterPort: number;
  /** --instances for the local executor; undefined leaves it its own default (this host). */
  instances: string | undefined;
  /** Origins allowed on the WebSocket besides the web app's own. */
  allowedOrigins: string[];
  storeLimits: StoreLimits;
  natsServer: string | undefined;
  allowInstall: boolean;
}

/**
 * NixOS marks itself with /etc/NIXOS. Only there can the local executor switch this machine,
 * so only there does it keep to its own host; elsewhere it may try any instance of a design.
 */
const isNixos = () => existsSync("/etc/NIXOS");

function parseUpArgs(argv: string[]): UpOptions | "help" {
  const { values: v } = parseFlags("up", argv, {
    "state-dir": { type: "string" },
    host: { type: "string" },
    "leaf-id": { type: "string" },
    instances: { type: "string" },
    "hub-nodes": { type: "string" },
    "cluster-port": { type: "string" },
    "nats-server": { type: "string" },
    "allowed-origin": { type: "string", multiple: true },
    "store-limits": { type: "string" },
    "no-install": { type: "boolean" },
    ...Object.fromEntries(Object.keys(PORT_OPTIONS).map((n) => [`${n}-port`, { type: "string" as const }])),
  });
  if (v.help) return "help";
  const env = process.env;
  const ports = {} as Record<PortName, number>;
  for (const [name, spec] of Object.entries(PORT_OPTIONS) as [PortName, (typeof PORT_OPTIONS)[PortName]][]) {
    const flag = v[`${name}-port`];
    const [value, source] =
      typeof flag === "string" ? [flag, `--${name}-port`] : env[spec.env] !== undefined ? [env[spec.env]!, spec.env] : [spec.fallback, `--${name}-port`];
    ports[name] = parsePort(value, source);
  }
  const leafId = subjectTokenFlag((v["leaf-id"] as string | undefined) ?? env.ALCHEMIST_LEAF_ID ?? "local", "--leaf-id");
  const flagOrigins = v["allowed-origin"] as string[] | undefined;
  const [originText, originSource] = flagOrigins?.length ? [flagOrigins.join(","), "--allowed-origin"] : [env.ALCHEMIST_ALLOWED_ORIGINS ?? "", "ALCHEMIST_ALLOWED_ORIGINS"];
  const allowedOrigins = originText
    .split(",")
    .filter((o) => o.trim() !== "")
    .map((o) => parseOrigin(o, originSource));
  const limitsFlag = v["store-limits"] as string | undefined;
  const storeLimits = parseStoreLimits(limitsFlag ?? env[STORE_LIMITS_ENV], limitsFlag === undefined ? STORE_LIMITS_ENV : "--store-limits");
  if (!storeLimits.ok) throw new AlchemistFailure(storeLimits.error);
  const nodesText = (v["hub-nodes"] as string | undefined) ?? env.ALCHEMIST_HUB_NODES ?? "1";
  const hubNodes = Number(nodesText);
  if (!HUB_NODE_COUNTS.includes(hubNodes)) {
    throw new AlchemistFailure(err("E_USAGE", `--hub-nodes must be ${HUB_NODE_COUNTS.join(", ")} (a cluster needs a majority alive: 2 members survive no loss), got "${nodesText}"`));
  }
  const clusterFlag = v["cluster-port"] as string | undefined;
  const clusterPort = parsePort(clusterFlag ?? env.ALCHEMIST_CLUSTER_PORT ?? "6222", clusterFlag !== undefined || env.ALCHEMIST_CLUSTER_PORT === undefined ? "--cluster-port" : "ALCHEMIST_CLUSTER_PORT");
  return {
    stateDir: resolve((v["state-dir"] as string | undefined) ?? env.ALCHEMIST_STATE_DIR ?? ".alchemist"),
    host: (v.host as string | undefined) ?? env.ALCHEMIST_HOST ?? "127.0.0.1",
    ports,
    leafId,
    hubNodes,
    clusterPort,
    instances: (v.instances as string | undefined) ?? env.ALCHEMIST_INSTANCES ?? (isNixos() ? undefined : "*"),
    allowedOrigins,
    storeLimits: storeLimits.value,
    natsServer: v["nats-server"] as string | undefined,
    allowInstall: !v["no-install"],
  };
}

function prepareStateDir(dir: string): void {
  try {
    makeDirs(join(dir, "jetstream"));
    const probe = join(dir, ".write-test");
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (e) {
    throw new AlchemistFailure(err("E_STATE_DIR", `state folder ${dir} is not writable (${reasonOf(e)}); choose another with --state-dir`));
  }
}

async function waitForHub(url: string, hub: Supervised, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (hub.pid === undefined) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AlchemistFailure(err("E_NATS_FAILED", `nats-server did not become healthy at ${url} within ${timeoutMs / 1000} s; see its output above`));
}

/**
 * Creates the streams and buckets of the protocol, as the admin identity: the others may not.
 * A cluster answers "temporarily unavailable" until its members have elected a JetStream
 * leader, so that is asked again for a while.
 */
async function createStores(servers: string[], admin: Identity, limits: StoreLimits, replicas: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const nc = await connectAsAdmin(servers, admin, "alchemist-up");
      try {
        await ensureDeployStores(nc, "hub", limits, { replicas });
      } finally {
        await nc.close();
      }
      return;
    } catch (e) {
      if (replicas > 1 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      throw new AlchemistFailure(err("E_NATS_FAILED", `the hub is up but its streams and buckets could not be created as admin (${messageOf(e)}); see ${servers.join(", ")} and the hub's output above`));
    }
  }
}

/** The routes' password: made once, kept beside the authority, readable by this user only. */
function routeSecret(stateDir: string): string {
  const file = join(authDirOf(stateDir), "route-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(24).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(new AlchemistFailure(err("E_PORT_IN_USE", `http port ${port} on ${host}: ${e.code ?? e.message}`))),
    );
    server.listen(port, host, () => resolvePromise());
  });
}

export interface RunningUp {
  stop: () => Promise<void>;
  /** The identity the local browser logs in as (its creds go into the login link). */
  browser: Identity;
}

export async function up(o: UpOptions, log: (line: string) => void = (l) => console.log(l)): Promise<RunningUp> {
  const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../web");
  if (!existsSync(join(webRoot, "index.html"))) {
    throw new AlchemistFailure(err("E_WEB_MISSING", `no built web app at ${webRoot}; run npm run build (npm start does it for you)`));
  }
  prepareStateDir(o.stateDir);
  // Before anything in the folder is written: hub.conf, the pid file and the store are one hub's.
  const lock = lockStateDir(o.stateDir);
  try {
    return await startStack(o, webRoot, log, lock.release);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startStack(o: UpOptions, webRoot: string, log: (line: string) => void, releaseLock: () => void): Promise<RunningUp> {
  const natsServer = resolveNatsServer({ explicit: o.natsServer, allowInstall: o.allowInstall, log });
  const members = hubMembers(o);
  const clustered = members.length > 1;
  await assertPortsUsable(o.host, {
    http: o.ports.http,
    ...Object.fromEntries(
      members.flatMap((m, i) => [
        ...Object.entries(m.ports).map(([name, port]) => [i === 0 ? name : `${name} (member ${i + 1})`, port] as const),
        ...(clustered ? [[i === 0 ? "cluster" : `cluster (member ${i + 1})`, m.routePort] as const] : []),
      ]),
    ),
  });

  const { authority } = await loadOrCreateAuthority(authDirOf(o.stateDir));
  // After the ports are known to be free: a single hub's stores are set aside only for a cluster that can start.
  const copyPending = clustered && setAsideSingleHub(o.stateDir, members.map((m) => m.file("jetstream", "")));
  const executorCreds = await stateIdentity(o.stateDir, authority, { role: "executor", leafId: o.leafId });
  const { identity: browser } = await stateIdentity(o.stateDir, authority, { role: "operator", name: "browser" });
  const { identity: admin } = await stateIdentity(o.stateDir, authority, { role: "admin" });
  const routePassword = clustered ? routeSecret(o.stateDir) : "";

  const origins = appOrigins(o.host, o.ports.http, o.allowedOrigins);
  for (const d of origins.dropped) log(`note: ${d} may not open the hub's WebSocket: nats-server allows one port per host name, and another origin on that host is listed`);
  for (const m of members) {
    writeFileSync(
      m.file("hub", ".conf"),
      hubConfigText({
        serverName: m.name,
        host: o.host,
        ports: m.ports,
        jetstreamDomain: "hub",
        storeDir: m.file("jetstream", ""),
        pidFile: m.file("nats-server", ".pid"),
        trust: hubTrustConfig(authority),
        allowedOrigins: origins.origins,
        ...(clustered ? { cluster: { name: "alchemist", port: m.routePort, routePorts: members.map((x) => x.routePort), routePassword } } : {}),
      }),
      // It holds the routes' password.
      { mode: 0o600 },
    );
    // The mode above applies only to a new file; one an older `up` wrote may be world-readable.
    chmodSync(m.file("hub", ".conf"), 0o600);
  }

  // Started before any child, so that none can outlive this process, however it ends.
  const reaper = new Reaper(o.stateDir, log);
  reaper.start();
  const children: Supervised[] = [];
  let server: Server | undefined;
  const stop = async () => {
    server?.close();
    // Executor first: it should see a clean close rather than a vanished hub.
    try {
      for (const child of [...children].reverse()) await child.stop();
      reaper.close();
    } finally {
      // Past the stop's deadline `up` exits without this; the next start takes the lock over.
      releaseLock();
    }
  };
  try {
    const clientHost = o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
    for (const m of members) {
      const hub = new Supervised(
        {
          name: m.name === "alchemist-hub" ? "hub" : m.name.replace("alchemist-", ""),
          command: natsServer,
          args: ["-c", m.file("hub", ".conf")],
          restartDelayMs: 1000,
          logFile: m.file("hub", ".log"),
          echo: (line) => /\[(ERR|FTL)\]/.test(line),
        },
        log,
        reaper,
      );
      children.push(hub);
      hub.start();
    }
    // A cluster member is healthy once its JetStream has joined the others, so all start first.
    for (const [i, m] of members.entries()) await waitForHub(`http://${clientHost}:${m.ports.monitor}/healthz`, children[i]!, clustered ? 30_000 : 15_000);
    const clientUrls = members.map((m) => `nats://${clientHost}:${m.ports.client}`);
    const replicas = clustered ? CLUSTER_REPLICAS : 1;
    await createStores(clientUrls, admin, o.storeLimits, replicas);
    if (copyPending) await copySingleHubIntoCluster({ stateDir: o.stateDir, natsServer, host: o.host, trust: hubTrustConfig(authority), admin, clusterUrls: clientUrls, reaper, log });

    const executor = new Supervised(
      {
        name: "executor",
        command: process.execPath,
        args: [
          process.argv[1]!,
          "executor",
          "--servers",
          clientUrls.join(","),
          "--replicas",
          String(replicas),
          "--leaf-id",
          o.leafId,
          "--work-dir",
          join(o.stateDir, "executor"),
          "--creds-file",
          executorCreds.path,
          ...(o.instances === undefined ? [] : ["--instances", o.instances]),
        ],
        // The local stack trusts commands signed by its own browser and nobody else's.
        env: { ...process.env, ALCHEMIST_TRUSTED_KEYS: `${browser.publicKey} ${browser.name}` },
        restartDelayMs: 2000,
        logFile: join(o.stateDir, "executor.log"),
        echo: () => true,
      },
      log,
      reaper,
    );
    children.push(executor);
    executor.start();

    server = serveWebApp(webRoot, { hubWebSocketPort: o.ports.websocket, hubWebSocketPorts: members.map((m) => m.ports.websocket), leafId: o.leafId }, log);
    await listen(server, o.host, o.ports.http);
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop, browser };
}

export const upCommand: Command = {
  summary: "start the local stack: NATS hub, executor and web app",
  async run(argv) {
    const o = parseUpArgs(argv);
    if (o === "help") {
      console.log(HELP);
      return 0;
    }
    const { stop, browser } = await up(o);
    const shown = o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
    const appUrl = `http://${shown.includes(":") ? `[${shown}]` : shown}:${o.ports.http}/`;
    const banner = [
      "",
      `  Alchemist is up: ${appUrl}`,
      // The only place the browser's secret is printed: the fragment never reaches a server.
      `  Log in (open once in each browser): ${loginLink(appUrl, browser)}`,
      `  NATS hub: nats://${shown}:${o.ports.client}  websocket ws://${shown}:${o.ports.websocket}  leafnodes ${shown}:${o.ports.leafnode}  monitor http://${shown}:${o.ports.monitor}`,
      `  state: ${o.stateDir}  (credentials in ${credsDirOf(o.stateDir)})    Ctrl-C stops everything.`,
      "",
    ].join("\n");
    return new Promise<number>((resolveExit) => {
      let stopping = false;
      const shutdown = (why: string, code: number) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${why}: stopping the stack…`);
        // A stop that hangs must not keep the process, and so its children, alive: the reaper ends them.
        setTimeout(() => process.exit(code || 1), STOP_DEADLINE_MS).unref();
        stop().then(
          () => resolveExit(code),
          (e) => {
            console.error(isAlchemistFailure(e) ? formatError(e.error) : messageOf(e));
            resolveExit(1);
          },
        );
      };
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal, 0));
      // A bug anywhere in `up` ends the stack cleanly, with the reason, rather than the process alone.
      const fatal = (what: string) => (e: unknown) => {
        console.error(formatError(err("E_STACK_FAILED", `alchemist up failed (${what}): ${messageOf(e)}`)));
        shutdown(what, 1);
      };
      process.on("uncaughtException", fatal("uncaught exception"));
      process.on("unhandledRejection", fatal("unhandled rejection"));
      // Only now: whoever waits for the banner may stop the stack at once, and a SIGTERM before
      // the handlers above would kill `up` outright, leaving its children to the reaper and its lock behind.
      console.log(banner);
    });
  },
};
