import { readFileSync } from "node:fs";
import { nodeName } from "../core/design/label";
import { createInterface } from "node:readline/promises";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { AlchemistFailure, err, messageOf, reasonOf } from "../core/errors";
import {
  CONFIRM_MODES,
  DEFAULT_CONFIRM,
  DEPLOY_ACTIONS,
  applyEvent,
  describeEvent,
  emptyView,
  inboxPrefixOf,
  isOver,
  signerFromSeed,
  type ConfirmMode,
  type ConfirmSpec,
  type DeployAction,
  type DeployCommand,
  type DeployEvent,
  type DeploymentSummary,
  type DeploymentView,
  type RollbackCommand,
} from "../core/protocol";
import { DeployClient } from "../client/deployClient";
import { grantedInboxPrefix, parseCreds } from "../core/protocol/creds";

/**
 * What the commands that talk to the hub share (deploy, watch, history, rollback): the
 * options that log in, the connection, reading a bucket once, printing events as text or JSON
 * lines, and following a deployment to its end with the exit code a pipeline branches on.
 */

export const HUB_OPTIONS = {
  json: { type: "boolean" },
  creds: { type: "string" },
  servers: { type: "string", multiple: true },
  "js-domain": { type: "string" },
} as const;

export const HUB_HELP = `  --json               one JSON object a line instead of text
  --creds FILE         NATS credentials (a .creds file) [ALCHEMIST_CREDS]; its key signs commands
  --servers URL        the hub's NATS URL, more than once for several [ALCHEMIST_SERVERS]
                       (default nats://127.0.0.1:4222)
  --js-domain NAME     the hub's JetStream domain (default hub)`;

export interface HubOptions {
  json: boolean;
  credsFile: string;
  servers: string[];
  jsDomain: string;
}

/** The options of a command that starts a deployment (deploy, rollback). */
export const SEND_OPTIONS = {
  action: { type: "string" },
  confirm: { type: "string" },
  "confirm-timeout": { type: "string" },
  yes: { type: "boolean", short: "y" },
  watch: { type: "boolean" },
} as const;

export const SEND_HELP = `  --action A           ${DEPLOY_ACTIONS.join(" | ")} (default switch)
  --confirm MODE       ${CONFIRM_MODES.join(" | ")} (default auto): manual waits for a person to confirm
                       the activation and rolls back when nobody does in time
  --confirm-timeout S  seconds the activation waits for its confirmation (default ${DEFAULT_CONFIRM.timeoutSeconds})
  --yes                send without asking (needed when the input is not a terminal)
  --watch              follow the deployment until it ends; the exit code says how it ended`;

export const EXIT_HELP = `exit codes: 0 sent (with --watch: succeeded); 1 not sent (bad input, errors, declined);
  3 failed; 4 rolled back; 5 cancelled; 6 rejected by the leaf.`;

export interface SendOptions {
  action: DeployAction;
  confirm: ConfirmSpec;
  yes: boolean;
  watch: boolean;
}

export function sendOptions(v: Record<string, unknown>, usage: (message: string) => AlchemistFailure): SendOptions {
  const action = (v.action ?? "switch") as DeployAction;
  if (!DEPLOY_ACTIONS.includes(action)) throw usage(`--action must be one of ${DEPLOY_ACTIONS.join(", ")}, got "${String(v.action)}"`);
  const mode = (v.confirm ?? DEFAULT_CONFIRM.mode) as ConfirmMode;
  if (!CONFIRM_MODES.includes(mode)) throw usage(`--confirm must be one of ${CONFIRM_MODES.join(", ")}, got "${String(v.confirm)}"`);
  const timeout = v["confirm-timeout"] === undefined ? DEFAULT_CONFIRM.timeoutSeconds : Number(v["confirm-timeout"]);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 86_400) throw usage(`--confirm-timeout must be a whole number of seconds from 1 to 86400, got "${String(v["confirm-timeout"])}"`);
  return { action, confirm: { mode, timeoutSeconds: timeout }, yes: v.yes === true, watch: v.watch === true };
}

/** A usage error that says where the command's options are described. */
export const usageOf = (command: string) => (message: string) => new AlchemistFailure(err("E_USAGE", `${message}; see alchemist ${command} --help`));

export function hubOptions(v: Record<string, unknown>, usage: (message: string) => AlchemistFailure): HubOptions {
  const credsFile = (v.creds as string | undefined) ?? process.env.ALCHEMIST_CREDS;
  if (!credsFile) throw usage("give the credentials to sign and send with: --creds FILE or ALCHEMIST_CREDS");
  const servers = (v.servers as string[] | undefined) ?? process.env.ALCHEMIST_SERVERS?.split(/[\s,]+/).filter(Boolean) ?? ["nats://127.0.0.1:4222"];
  return { json: v.json === true, credsFile, servers, jsDomain: (v["js-domain"] as string | undefined) ?? "hub" };
}

/** Logs in to the hub with the credentials; runs `use` on the connection, then closes it. */
export async function withConnection<T>(o: HubOptions, command: string, use: (nc: NatsConnection, creds: { seed: string }) => Promise<T>): Promise<T> {
  const creds = readCreds(o.credsFile, usageOf(command));
  const nc = await connectHub(o.servers, creds, command);
  try {
    return await use(nc, creds);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** Logs in to the hub with the credentials, whose key signs the commands sent; runs `use`, then closes. */
export async function withHub<T>(o: HubOptions, command: string, use: (client: DeployClient) => Promise<T>): Promise<T> {
  return withConnection(o, command, async (nc, creds) => {
    const signer = signerFromSeed(creds.seed);
    if (!signer.ok) throw new AlchemistFailure(signer.error);
    return await use(new DeployClient(nc, o.jsDomain, signer.value));
  });
}

/** How a watched deployment ended, as the exit code a pipeline branches on. */
export const EXIT = { sent: 0, succeeded: 0, notSent: 1, failed: 3, rolledBack: 4, cancelled: 5, rejected: 6 } as const;

function readCreds(file: string, usage: (message: string) => AlchemistFailure): { seed: string; jwt: string; name: string; subscribe: string[] | undefined; text: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw usage(`cannot read the credentials file ${file} (${reasonOf(e)})`);
  }
  const parsed = parseCreds(text);
  if (!parsed.ok) throw usage(`${file}: ${parsed.message}`);
  return { ...parsed.value, text };
}

async function connectHub(servers: string[], creds: { text: string; name: string; subscribe: string[] | undefined }, command: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers,
      name: `alchemist-${command}:${creds.name}`,
      authenticator: credsAuthenticator(new TextEncoder().encode(creds.text)),
      // Replies come where this identity's permissions let it read them.
      inboxPrefix: grantedInboxPrefix(creds.subscribe, inboxPrefixOf(creds.name)),
      timeout: 10_000,
      maxReconnectAttempts: 5,
    });
  } catch (e) {
    throw new AlchemistFailure(err("E_NATS", `cannot log in to the hub at ${servers.join(", ")} as ${creds.name}: ${messageOf(e)}`));
  }
}

/**
 * What the first report of a bucket watch that `accept` takes resolves to (or `timedOut()`
 * after `ms`). The watch is stopped either way, also when it reported before its start had
 * returned the way to stop it (an empty bucket reports at once).
 */
async function firstReport<T, R>(watch: (report: (v: T) => void) => Promise<() => void>, accept: (v: T) => R | undefined, ms: number, timedOut: () => R): Promise<R> {
  let watching: Promise<() => void> | undefined;
  try {
    return await new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        try {
          resolve(timedOut());
        } catch (e) {
          reject(e);
        }
      }, ms);
      watching = watch((v) => {
        const r = accept(v);
        if (r === undefined) return;
        clearTimeout(timer);
        resolve(r);
      });
      watching.catch(reject);
    });
  } catch (e) {
    if (e instanceof AlchemistFailure) throw e;
    throw new AlchemistFailure(err("E_NATS", `cannot read the hub's registry: ${messageOf(e)}`));
  } finally {
    void watching?.then(
      (stop) => stop(),
      () => undefined,
    );
  }
}

/** A bucket's entries as the hub has them now: the first report of a watch, which is then stopped. */
export function snapshot<T>(watch: (report: (all: Record<string, T>) => void) => Promise<() => void>): Promise<Record<string, T>> {
  return firstReport(watch, (all) => all, 10_000, () => {
    throw new AlchemistFailure(err("E_NATS", "the hub did not answer within 10 s"));
  });
}

/**
 * The registry's records of a deployment: the registry keys them by leaf and id, and each leaf
 * writes only its own, so two leaves may claim one id. Waits up to `waitMs` for the first, since
 * a command just sent is in the registry only once its leaf has taken it.
 */
export function registered(client: DeployClient, deploymentId: string, waitMs: number): Promise<DeploymentSummary[]> {
  let latest: DeploymentSummary[] = [];
  const mine = (all: Record<string, DeploymentSummary>) => {
    latest = Object.values(all).filter((d) => d.deploymentId === deploymentId);
    return latest.length > 0 ? latest : undefined;
  };
  return firstReport((report) => client.watchDeployments(report, () => undefined), mine, waitMs, () => latest);
}

export async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new AlchemistFailure(err("E_USAGE", "the input is not a terminal, so nobody can answer; pass --yes to send without asking"));
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Asks (unless --yes), then signs and sends the command `body` makes for `leafId` with fresh
 * ids, and with --watch follows it to its end: the exit code of deploy and rollback.
 */
export async function askSendFollow<C extends DeployCommand | RollbackCommand>(
  client: DeployClient,
  out: Printer,
  o: HubOptions & SendOptions,
  question: { text: string; declined: string },
  leafId: string,
  body: (envelope: { commandId: string; deploymentId: string; leafId: string }) => Omit<C, "requestedAt">,
): Promise<number> {
  if (!o.yes && !(await ask(question.text))) {
    out.line(question.declined);
    return EXIT.notSent;
  }
  const command = { ...body({ commandId: client.newId("c"), deploymentId: client.newId("d"), leafId }), requestedAt: new Date().toISOString() } as C;
  await client.send(command);
  out.sent(command.deploymentId, leafId);
  if (!o.watch) return EXIT.sent;
  return await watch(client, command.deploymentId, leafId, out, o.confirm.mode === "manual" && !o.json);
}

/** What a deployment changes against the instance's last successful one. */
export interface Review {
  baseline: string | null;
  nodes: { added: readonly string[]; changed: readonly string[]; removed: readonly string[] };
  /** The labels of the nodes named in `nodes` that have one, by id. */
  labels?: Readonly<Record<string, string>>;
  files: { path: string; status: string }[];
  unchangedFiles: number;
}

export interface Printer {
  review(r: Review & { instance: string; leaf: string; action: DeployAction; confirm: ConfirmSpec }): void;
  sent(deploymentId: string, leafId: string): void;
  event(e: DeployEvent): void;
  line(text: string): void;
}

const list = (ids: readonly string[], labels: Readonly<Record<string, string>> = {}) => (ids.length > 0 ? ids.map((id) => nodeName({ id, label: labels[id] })).join(", ") : "—");

export function printer(json: boolean): Printer {
  if (json) {
    const put = (o: object) => console.log(JSON.stringify(o));
    return {
      review: (r) => put({ type: "review", ...r }),
      sent: (deploymentId, leafId) => put({ type: "sent", deploymentId, leafId }),
      event: (e) => put({ type: "event", event: e }),
      line: (text) => put({ type: "note", text }),
    };
  }
  return {
    review(r) {
      console.log(`deploy ${r.instance} with leaf ${r.leaf}: ${r.action}, confirm ${r.confirm.mode}${r.confirm.mode === "manual" ? ` within ${r.confirm.timeoutSeconds} s` : ""}`);
      console.log(r.baseline ? `against ${r.baseline}, its last successful deployment:` : "first deployment of this instance: everything is new");
      console.log(`  nodes added ${list(r.nodes.added, r.labels)}; changed ${list(r.nodes.changed, r.labels)}; removed ${list(r.nodes.removed, r.labels)}`);
      console.log(`  files: ${r.files.length} to change, ${r.unchangedFiles} unchanged`);
      for (const f of r.files) console.log(`    ${f.status.padEnd(8)} ${f.path}`);
    },
    sent: (deploymentId, leafId) => console.log(`sent: deployment ${deploymentId} for leaf ${leafId}`),
    event(e) {
      const text = e.type === "step-log" ? `  ${e.step} | ${e.line.split("\n").join(`\n  ${e.step} | `)}` : describeEvent(e);
      if (text !== null && e.type !== "step-progress") console.log(text);
    },
    line: (text) => console.log(text),
  };
}

/** Follows the deployment to its end, folding events as the app does (no gap, no duplicate), and says how it ended. */
export async function watch(client: DeployClient, deploymentId: string, leafId: string, out: Printer, offerConfirm: boolean): Promise<number> {
  let view: DeploymentView = emptyView(deploymentId, leafId);
  let asked = false;
  return await new Promise<number>((resolve) => {
    const stop = client.follow(
      deploymentId,
      (e) => {
        const next = applyEvent(view, e);
        if (next === view) return;
        view = next;
        out.event(e);
        if (e.type === "awaiting-confirmation" && offerConfirm && !asked && process.stdin.isTTY) {
          asked = true;
          void ask("Confirm the activation?").then(async (yes) => {
            if (yes) await client.send({ v: 1, type: "confirm", commandId: client.newId("c"), deploymentId, leafId, requestedAt: new Date().toISOString() });
          });
        }
        if (isOver(view)) {
          stop();
          resolve(exitOf(view));
        }
      },
      (reason) => console.error(`warning: ${reason}`),
      leafId,
    );
  });
}

export function exitOf(view: DeploymentView): number {
  if (view.status === "succeeded") return EXIT.succeeded;
  if (view.status === "rejected") return EXIT.rejected;
  if (view.status === "cancelled") return EXIT.cancelled;
  return view.rolledBack ? EXIT.rolledBack : EXIT.failed;
}
