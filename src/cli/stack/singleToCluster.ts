import { existsSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { AlchemistFailure, err, messageOf } from "../../core/errors";
import type { Identity } from "../auth/authority";
import { connectAsAdmin } from "./adminConnection";
import { copyStores } from "./copyStores";
import { hubConfigText } from "./hubConfig";
import { freePort } from "./ports";
import type { Reaper } from "./reaper";
import { Supervised } from "./supervise";

/**
 * A single hub's state folder started as a cluster. JetStream does not take a standalone
 * server's streams into a new cluster (a CI run saw `up` make them anew, empty, over them), so
 * `up` sets the single hub's store folder aside before the members start, and once the
 * cluster's stores are made, copies every message into them from the set-aside folder served
 * by a nats-server of its own on free loopback ports (`copyStores`). The folder is kept,
 * renamed `jetstream-single.copied`, until the operator deletes it.
 */

const PENDING = "jetstream-single";
const DONE = "jetstream-single.copied";

/** Whether a JetStream store folder holds any stream (nats-server keeps them in <store_dir>/jetstream/<account>/streams/<name>). */
function holdsStreams(storeDir: string): boolean {
  const accounts = join(storeDir, "jetstream");
  try {
    return readdirSync(accounts, { withFileTypes: true }).some((account) => {
      try {
        return account.isDirectory() && readdirSync(join(accounts, account.name, "streams")).length > 0;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * Before a cluster's members start: sets a single hub's stores aside (member 0 keeps the single
 * hub's store folder name, and would otherwise start on them). Returns whether stores wait to be
 * copied: set aside now, or by an earlier start that did not finish the copy.
 */
export function setAsideSingleHub(stateDir: string, memberStoreDirs: readonly string[]): boolean {
  const pending = join(stateDir, PENDING);
  const [first, second] = memberStoreDirs;
  const single = first !== undefined && second !== undefined && holdsStreams(first) && !existsSync(second);
  if (single) {
    if (existsSync(pending)) {
      throw new AlchemistFailure(err("E_STATE_DIR", `${stateDir} holds both a single hub's stores (${first}) and others set aside for copying (${pending}); move one of them away and start again`));
    }
    renameSync(first, pending);
  }
  return existsSync(pending);
}

interface CopyPlan {
  stateDir: string;
  natsServer: string;
  host: string;
  trust: string;
  admin: Identity;
  clusterUrls: readonly string[];
  reaper: Reaper;
  log: (line: string) => void;
}

const adminConnection = (servers: readonly string[], admin: Identity) => connectAsAdmin(servers, admin, "alchemist-up-copy");

/** After the cluster's stores are made: copies the set-aside stores into them, then marks the folder copied. */
export async function copySingleHubIntoCluster(p: CopyPlan): Promise<void> {
  const pending = join(p.stateDir, PENDING);
  const host = p.host === "0.0.0.0" ? "127.0.0.1" : p.host;
  const ports = { client: await freePort(host), websocket: await freePort(host), leafnode: await freePort(host), monitor: await freePort(host) };
  const conf = join(p.stateDir, "hub-single-copy.conf");
  writeFileSync(
    conf,
    hubConfigText({ serverName: "alchemist-hub", host, ports, jetstreamDomain: "hub", storeDir: pending, pidFile: join(p.stateDir, "nats-server-single-copy.pid"), trust: p.trust, allowedOrigins: [] }),
    { mode: 0o600 },
  );
  const old = new Supervised(
    { name: "hub-single-copy", command: p.natsServer, args: ["-c", conf], restartDelayMs: 1000, logFile: join(p.stateDir, "hub-single-copy.log"), echo: (line) => /\[(ERR|FTL)\]/.test(line) },
    p.log,
    p.reaper,
  );
  old.start();
  try {
    const from = await waitConnected([`nats://${host}:${ports.client}`], p.admin);
    const to = await adminConnection(p.clusterUrls, p.admin);
    try {
      const copied = await copyStores(from, to);
      p.log(`copied the single hub's stores into the cluster: ${Object.entries(copied).map(([s, n]) => `${s} ${n}`).join(", ")}`);
    } finally {
      await from.close();
      await to.close();
    }
  } catch (e) {
    throw new AlchemistFailure(err("E_STACK_FAILED", `the single hub's stores in ${pending} could not be copied into the cluster (${messageOf(e)}); they are kept there, and the next start tries again`));
  } finally {
    await old.stop();
  }
  const kept = existsSync(join(p.stateDir, DONE)) ? `${join(p.stateDir, DONE)}-${Date.now()}` : join(p.stateDir, DONE);
  renameSync(pending, kept);
  p.log(`the single hub's store folder is kept as ${kept}; delete it once the cluster serves what you need`);
}

async function waitConnected(servers: readonly string[], admin: Identity, timeoutMs = 15_000): Promise<NatsConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await adminConnection(servers, admin);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
