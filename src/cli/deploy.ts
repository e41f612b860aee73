import { compile, type CompileResult } from "../core/compile";
import { designInstances, type DesignInstance } from "../core/design/instances";
import { parseDesign } from "../core/design/load";
import type { Design } from "../core/design/types";
import { AlchemistFailure, err } from "../core/errors";
import {
  lastSucceeded,
  leafChoices,
  type DeployCommand,
  type DeploymentSummary,
  type LeafRecord,
} from "../core/protocol";
import { hasErrors } from "../core/validate/diagnostic";
import type { DeployClient } from "../client/deployClient";
import { diffFiles } from "../core/compile/diff";
import { changedNodes, changesWithin } from "../core/design/changes";
import { deployFiles } from "../core/compile/lock";
import type { Command } from "./command";
import {
  askSendFollow,
  EXIT,
  EXIT_HELP,
  HUB_HELP,
  HUB_OPTIONS,
  hubOptions,
  printer,
  SEND_HELP,
  SEND_OPTIONS,
  sendOptions,
  snapshot,
  usageOf,
  withHub,
  type HubOptions,
  type Review,
  type SendOptions,
} from "./hubSession";
import { CLI_COMPILE, parseCommandLine, printDiagnostics, readDesign } from "./designFile";
import { DESIGN_FILE } from "../core/compile/paths";

const HELP = `usage: alchemist deploy DESIGN.json --instance ID [options]

Compiles the design, shows what would change on the instance against its last successful
deployment (nodes and files), asks, signs the deploy command with your credentials and sends
it to the hub for the instance's leaf. A design with errors is never sent.

options:
  --instance ID        the CIM instance (its host id) to deploy
  --leaf ID            the leaf executor to deploy with; default: the instance's own
                       (its "Leaf executor" field), else the one online leaf that serves it
  --update-inputs      the leaf locks every flake input afresh instead of keeping the
                       flake.lock the design file holds for the instance (its "locks")
${SEND_HELP}
${HUB_HELP}

${EXIT_HELP}
`;

export const deployCommand: Command = {
  summary: "deploy a design's instance through the hub, from the command line",
  async run(argv) {
    const { file, values } = parseCommandLine("deploy", argv, {
      instance: { type: "string" },
      leaf: { type: "string" },
      "update-inputs": { type: "boolean" },
      ...SEND_OPTIONS,
      ...HUB_OPTIONS,
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const o = options(file, values);
    const out = printer(o.json);

    const loaded = readDesign(o.file);
    const result: CompileResult = loaded.design ? compile(loaded.design, CLI_COMPILE) : { files: {}, diagnostics: loaded.diagnostics };
    if (hasErrors(result.diagnostics)) {
      printDiagnostics(result.diagnostics);
      console.error(`${o.file}: not sent; fix the errors above`);
      return EXIT.notSent;
    }
    const design = loaded.design!;
    const instance = instanceOf(design, o.instance);

    return await withHub(o, "deploy", async (client) => {
      const leaves = await snapshot<LeafRecord>((report) => client.watchLeaves(report, () => undefined));
      const leaf = chooseLeaf(leaves, instance, o.leaf);
      const deployments = await snapshot<DeploymentSummary>((report) => client.watchDeployments(report, () => undefined));
      const files = deployFiles(result.files, design.locks, instance.hostId);
      const review = await reviewOf(client, deployments, design, instance, files);
      out.review({ instance: instance.hostId, leaf: leaf.leafId, action: o.action, confirm: o.confirm, ...review });
      return await askSendFollow<DeployCommand>(client, out, o, { text: `Deploy ${instance.hostId} with leaf ${leaf.leafId}?`, declined: "not deployed" }, leaf.leafId, (envelope) => ({
        v: 1,
        type: "deploy",
        ...envelope,
        instance: instance.hostId,
        action: o.action,
        files,
        designHash: result.designHash!,
        confirm: o.confirm,
        ...(o.updateInputs ? { updateInputs: true } : {}),
      }));
    });
  },
};

interface Options extends HubOptions, SendOptions {
  file: string;
  instance: string;
  leaf: string | undefined;
  updateInputs: boolean;
}

const usage = usageOf("deploy");

function options(file: string | undefined, v: Record<string, unknown>): Options {
  if (!file) throw usage("give the design file");
  if (typeof v.instance !== "string" || v.instance === "") throw usage("give the instance to deploy with --instance ID");
  return {
    ...hubOptions(v, usage),
    ...sendOptions(v, usage),
    file,
    instance: v.instance,
    leaf: v.leaf as string | undefined,
    updateInputs: v["update-inputs"] === true,
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

/** The leaf named, the instance's own, or the one online leaf that serves the instance (core/protocol/leafChoice.ts). */
function chooseLeaf(leaves: Readonly<Record<string, LeafRecord>>, instance: DesignInstance, asked: string | undefined): LeafRecord {
  const { choices, sole, problem } = leafChoices(leaves, instance, Date.now(), asked);
  if (problem) throw new AlchemistFailure(problem);
  if (sole) return sole.leaf;
  const online = choices.filter((c) => c.state !== "offline").map((c) => c.leaf.leafId);
  if (online.length === 0) {
    const away = choices.map((c) => c.leaf.leafId).join(", ");
    throw new AlchemistFailure(err("E_NO_LEAF", `no online leaf serves ${instance.hostId} (offline: ${away}); name one with --leaf to queue the command for it`));
  }
  throw new AlchemistFailure(err("E_NO_LEAF", `${online.length} online leaves serve ${instance.hostId} (${online.join(", ")}); choose one with --leaf`));
}

/** What the deployment changes against the instance's last successful one (everything, when there is none). */
async function reviewOf(client: DeployClient, deployments: Readonly<Record<string, DeploymentSummary>>, design: Design, instance: DesignInstance, files: Readonly<Record<string, string>>): Promise<Review> {
  const last = lastSucceeded(deployments, instance.hostId);
  const before = last ? await client.files(last.leafId, last.deploymentId).catch(() => null) : null;
  const deployedText = before?.[DESIGN_FILE];
  const deployed = deployedText ? parseDesign(deployedText).design ?? null : null;
  const { diffs, unchanged } = diffFiles(before ?? {}, files);
  const nodes = changesWithin(changedNodes(deployed, design), instance.members, new Set(deployed ? designInstances(deployed.nodes, deployed.edges).find((i) => i.nodeId === instance.nodeId)?.members : []));
  // A removed node's label is the deployed design's; the others', the design's.
  const named = new Map([...(deployed?.nodes ?? []), ...design.nodes].flatMap((n) => (n.label ? [[n.id, n.label] as const] : [])));
  const labels = Object.fromEntries([...nodes.added, ...nodes.changed, ...nodes.removed].flatMap((id) => (named.has(id) ? [[id, named.get(id)!]] : [])));
  return {
    baseline: last?.deploymentId ?? null,
    nodes,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    files: diffs.map((d) => ({ path: d.path, status: d.status })),
    unchangedFiles: unchanged,
  };
}

