import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { compile } from "../core/compile";
import { designInstances, type DesignInstance } from "../core/design/instances";
import { parseDesign } from "../core/design/load";
import type { Design } from "../core/design/types";
import { AlchemistFailure, err, messageOf, reasonOf } from "../core/errors";
import { sha256Hex } from "../core/hash";
import {
  CONFIRM_MODES,
  DEFAULT_CONFIRM,
  DEPLOY_ACTIONS,
  applyEvent,
  describeEvent,
  emptyView,
  inboxPrefixOf,
  isOver,
  lastSucceeded,
  leafState,
  own,
  servesInstance,
  signerFromSeed,
  type ConfirmMode,
  type DeployAction,
  type DeployCommand,
  type DeployEvent,
  type DeploymentSummary,
  type DeploymentView,
  type LeafRecord,
} from "../core/protocol";
import { hasErrors } from "../core/validate/diagnostic";
import { DeployClient } from "../client/deployClient";
import { grantedInboxPrefix, parseCreds } from "../core/protocol/creds";
import { diffFiles } from "../core/compile/diff";
import { changedNodes, changesWithin } from "../core/design/changes";
import { deployFiles } from "../core/compile/lock";
import type { Command } from "./command";
import { nixInstantiateSyntax, parseCommandLine, printDiagnostics, readDesign } from "./designFile";

const HELP = `usage: alchemist deploy DESIGN.json --instance ID [options]

Compiles the design, shows what would change on the instance against its last successful
deployment (nodes and files), asks, signs the deploy command with your credentials and sends
it to the hub for the instance's leaf. A design with errors is never sent.

options:
  --instance ID        the CIM instance (its host id) to deploy
  --leaf ID            the leaf executor to deploy with; default: the instance's own
                       (its "Leaf executor" field), else the one online leaf that serves it
  --action A           ${DEPLOY_ACTIONS.join(" | ")} (default switch)
  --confirm MODE       ${CONFIRM_MODES.join(" | ")} (default auto): manual waits for a person to confirm
                       the activation and rolls back when nobody does in time
  --confirm-timeout S  seconds the activation waits for its confirmation (default ${DEFAULT_CONFIRM.timeoutSeconds})
  --update-inputs      the leaf locks every flake input afresh instead of keeping the
                       flake.lock the design file holds for the instance (its "locks")
  --yes                send without asking (needed when the input is not a terminal)
  --watch              follow the deployment until it ends; the exit code says how it ended
  --json               one JSON object a line (the review, then every event) instead of text
  --creds FILE         NATS credentials (a .creds file) [ALCHEMIST_CREDS]; its key signs the command
  --servers URL        the hub's NATS URL, more than once for several [ALCHEMIST_SERVERS]
                       (default nats://127.0.0.1:4222)
  --js-domain NAME     the hub's JetStream domain (default hub)

exit codes: 0 sent (with --watch: succeeded); 1 not sent (bad input, errors, declined);
  3 failed; 4 rolled back; 5 cancelled; 6 rejected by the leaf.
`;

/** How a watched deployment ended, as the exit code a pipeline branches on. */
export const EXIT = { sent: 0, succeeded: 0, notSent: 1, failed: 3, rolledBack: 4, cancelled: 5, rejected: 6 } as const;

export const deployCommand: Command = {
  summary: "deploy a design's instance through the hub, from the command line",
  async run(argv) {
    const { file, values } = parseCommandLine("deploy", argv, {
      instance: { type: "string" },
      leaf: { type: "string" },
      action: { type: "string" },
      confirm: { type: "string" },
      "confirm-timeout": { type: "string" },
      "update-inputs": { type: "boolean" },
      yes: { type: "boolean", short: "y" },
      watch: { type: "boolean" },
      json: { type: "boolean" },
      creds: { type: "string" },
      servers: { type: "string", multiple: true },
      "js-domain": { type: "string" },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const o = options(file, values);
    const out = printer(o.json);

    const loaded = readDesign(o.file);
    const result = loaded.design ? compile(loaded.design, { parseNix: nixInstantiateSyntax }) : { files: {}, diagnostics: loaded.diagnostics };
    if (hasErrors(result.diagnostics)) {
      printDiagnostics(result.diagnostics);
      console.error(`${o.file}: not sent; fix the errors above`);
      return EXIT.notSent;
    }
    const design = loaded.design!;
    const instance = instanceOf(design, o.instance);

    const creds = readCreds(o.credsFile);
    const nc = await connectHub(o.servers, creds);
    try {
      const signer = signerFromSeed(creds.seed);
      if (!signer.ok) throw new AlchemistFailure(signer.error);
      const client = new DeployClient(nc, o.jsDomain, signer.value);
      const leaves = await snapshot<LeafRecord>((report) => client.watchLeaves(report, () => undefined));
      const leaf = chooseLeaf(leaves, instance, o.leaf);
      const deployments = await snapshot<DeploymentSummary>((report) => client.watchDeployments(report, () => undefined));
      const files = deployFiles(result.files, design.locks, instance.hostId);
      const review = await reviewOf(client, deployments, design, instance, files);
      out.review({ instance: instance.hostId, leaf: leaf.leafId, action: o.action, confirm: o.confirm, ...review });
      if (!o.yes && !(await ask(`Deploy ${instance.hostId} with leaf ${leaf.leafId}?`))) {
        out.line("not deployed");
        return EXIT.notSent;
      }
      const command: DeployCommand = {
        v: 1,
        type: "deploy",
        commandId: client.newId("c"),
        deploymentId: client.newId("d"),
        leafId: leaf.leafId,
        instance: instance.hostId,
        action: o.action,
        files,
        // The compiler's design hash: that of alchemist.json, the design these files come from.
        designHash: sha256Hex(result.files["alchemist.json"] ?? ""),
        confirm: o.confirm,
        ...(o.updateInputs ? { updateInputs: true } : {}),
        requestedAt: new Date().toISOString(),
      };
      await client.send(command);
      out.sent(command.deploymentId, leaf.leafId);
      if (!o.watch) return EXIT.sent;
      return await watch(client, command.deploymentId, leaf.leafId, out, o.confirm.mode === "manual" && !o.json);
    } finally {
      await nc.close().catch(() => undefined);
    }
  },
};

interface Options {
  file: string;
  instance: string;
  leaf: string | undefined;
  action: DeployAction;
  confirm: { mode: ConfirmMode; timeoutSeconds: number };
  updateInputs: boolean;
  yes: boolean;
  watch: boolean;
  json: boolean;
  credsFile: string;
  servers: string[];
  jsDomain: string;
}

const usage = (message: string) => new AlchemistFailure(err("E_USAGE", `${message}; see alchemist deploy --help`));

function options(file: string | undefined, v: Record<string, unknown>): Options {
  if (!file) throw usage("give the design file");
  if (typeof v.instance !== "string" || v.instance === "") throw usage("give the instance to deploy with --instance ID");
  const action = (v.action ?? "switch") as DeployAction;
  if (!DEPLOY_ACTIONS.includes(action)) throw usage(`--action must be one of ${DEPLOY_ACTIONS.join(", ")}, got "${String(v.action)}"`);
  const mode = (v.confirm ?? DEFAULT_CONFIRM.mode) as ConfirmMode;
  if (!CONFIRM_MODES.includes(mode)) throw usage(`--confirm must be one of ${CONFIRM_MODES.join(", ")}, got "${String(v.confirm)}"`);
  const timeout = v["confirm-timeout"] === undefined ? DEFAULT_CONFIRM.timeoutSeconds : Number(v["confirm-timeout"]);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 86_400) throw usage(`--confirm-timeout must be a whole number of seconds from 1 to 86400, got "${String(v["confirm-timeout"])}"`);
  const credsFile = (v.creds as string | undefined) ?? process.env.ALCHEMIST_CREDS;
  if (!credsFile) throw usage("give the credentials to sign and send with: --creds FILE or ALCHEMIST_CREDS");
  const servers = (v.servers as string[] | undefined) ?? process.env.ALCHEMIST_SERVERS?.split(/[\s,]+/).filter(Boolean) ?? ["nats://127.0.0.1:4222"];
  return {
    file,
    instance: v.instance,
    leaf: v.leaf as string | undefined,
    action,
    confirm: { mode, timeoutSeconds: timeout },
    updateInputs: v["update-inputs"] === true,
    yes: v.yes === true,
    watch: v.watch === true,
    json: v.json === true,
    credsFile,
    servers,
    jsDomain: (v["js-domain"] as string | undefined) ?? "hub",
  };
}

function instanceOf(design: Design, hostId: string): DesignInstance {
  const all = designInstances(design.nodes, design.edges).filter((i) => i.hostId !== "");
  const found = all.find((i) => i.hostId === hostId);
  if (!found) {
    const known = all.map((i) => i.hostId);
    throw new AlchemistFailure(err("E_UNKNOWN_INSTANCE", `the design defines no instance ${hostId}; it defines ${known.length > 0 ? known.join(", ") : "none"}`));
  }
  return found;
}

function readCreds(file: string): { seed: string; jwt: string; name: string; subscribe: string[] | undefined; text: string } {
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

async function connectHub(servers: string[], creds: { text: string; name: string; subscribe: string[] | undefined }): Promise<NatsConnection> {
  try {
    return await connect({
      servers,
      name: `alchemist-deploy:${creds.name}`,
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

/** A bucket's entries as the hub has them now: the first report of a watch, which is then stopped. */
async function snapshot<T>(watch: (report: (all: Record<string, T>) => void) => Promise<() => void>): Promise<Record<string, T>> {
  let stop: (() => void) | undefined;
  try {
    return await new Promise<Record<string, T>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AlchemistFailure(err("E_NATS", "the hub did not answer within 10 s"))), 10_000);
      watch((all) => {
        clearTimeout(timer);
        resolve(all);
      }).then((s) => (stop = s), reject);
    });
  } catch (e) {
    if (e instanceof AlchemistFailure) throw e;
    throw new AlchemistFailure(err("E_NATS", `cannot read the hub's registry: ${messageOf(e)}`));
  } finally {
    stop?.();
  }
}

/** The leaf named, the instance's own, or the one online leaf that serves the instance. */
function chooseLeaf(leaves: Readonly<Record<string, LeafRecord>>, instance: DesignInstance, asked: string | undefined): LeafRecord {
  const now = Date.now();
  const named = asked ?? instance.leafId;
  if (named !== undefined) {
    const leaf = own(leaves, named);
    const whose = asked ? "" : " (the instance's leaf executor)";
    if (!leaf) throw new AlchemistFailure(err("E_LEAF_UNREGISTERED", `leaf ${named}${whose} has never registered with the hub; start its executor first`));
    if (!servesInstance(leaf, instance.hostId)) throw new AlchemistFailure(err("E_CMD_INSTANCE", `leaf ${named} does not serve ${instance.hostId} (it serves ${leaf.instances.join(", ")})`));
    return leaf;
  }
  const online = Object.values(leaves).filter((l) => servesInstance(l, instance.hostId) && leafState(l, now) !== "offline");
  if (online.length === 1) return online[0]!;
  if (online.length === 0) throw new AlchemistFailure(err("E_NO_LEAF", `no online leaf serves ${instance.hostId}; start one, or name a registered one with --leaf to queue the command for it`));
  throw new AlchemistFailure(err("E_NO_LEAF", `${online.length} online leaves serve ${instance.hostId} (${online.map((l) => l.leafId).join(", ")}); choose one with --leaf`));
}

interface Review {
  baseline: string | null;
  nodes: { added: readonly string[]; changed: readonly string[]; removed: readonly string[] };
  files: { path: string; status: string }[];
  unchangedFiles: number;
}

/** What the deployment changes against the instance's last successful one (everything, when there is none). */
async function reviewOf(client: DeployClient, deployments: Readonly<Record<string, DeploymentSummary>>, design: Design, instance: DesignInstance, files: Readonly<Record<string, string>>): Promise<Review> {
  const last = lastSucceeded(deployments, instance.hostId);
  const before = last ? await client.files(last.leafId, last.deploymentId).catch(() => null) : null;
  const deployedText = before?.["alchemist.json"];
  const deployed = deployedText ? parseDesign(deployedText).design ?? null : null;
  const { diffs, unchanged } = diffFiles(before ?? {}, files);
  return {
    baseline: last?.deploymentId ?? null,
    nodes: changesWithin(changedNodes(deployed, design), instance.members, new Set(deployed ? designInstances(deployed.nodes, deployed.edges).find((i) => i.nodeId === instance.nodeId)?.members : [])),
    files: diffs.map((d) => ({ path: d.path, status: d.status })),
    unchangedFiles: unchanged,
  };
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw usage("the input is not a terminal, so nobody can answer; pass --yes to send without asking");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

interface Printer {
  review(r: Review & { instance: string; leaf: string; action: DeployAction; confirm: Options["confirm"] }): void;
  sent(deploymentId: string, leafId: string): void;
  event(e: DeployEvent): void;
  line(text: string): void;
}

const list = (ids: readonly string[]) => (ids.length > 0 ? ids.join(", ") : "—");

function printer(json: boolean): Printer {
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
      console.log(`  nodes added ${list(r.nodes.added)}; changed ${list(r.nodes.changed)}; removed ${list(r.nodes.removed)}`);
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
async function watch(client: DeployClient, deploymentId: string, leafId: string, out: Printer, offerConfirm: boolean): Promise<number> {
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
