import { AlchemistFailure, err } from "../core/errors";
import { lastSucceeded, type DeploymentSummary, type RollbackCommand } from "../core/protocol";
import { diffFiles } from "../core/compile/diff";
import type { Command } from "./command";
import { parseFlags, subjectTokenFlag } from "./args";
import { askSendFollow, EXIT_HELP, HUB_HELP, HUB_OPTIONS, hubOptions, printer, SEND_HELP, SEND_OPTIONS, sendOptions, snapshot, usageOf, withHub } from "./hubSession";

const HELP = `usage: alchemist rollback INSTANCE --to DEPLOYMENT_ID [options]

Deploys again, as a new deployment, the files of an earlier successful deployment of the
instance, with the leaf that ran it (the files are kept under that leaf's key). Shows what
changes against the instance's last successful deployment and asks first.

options:
  --to ID              the successful deployment to go back to (see alchemist history)
${SEND_HELP}
${HUB_HELP}

${EXIT_HELP}
`;

const usage = usageOf("rollback");

export const rollbackCommand: Command = {
  summary: "deploy an earlier successful deployment of an instance again",
  async run(argv) {
    const { values, positionals } = parseFlags("rollback", argv, { to: { type: "string" }, ...SEND_OPTIONS, ...HUB_OPTIONS }, { max: 1, what: "one instance" });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const instance = positionals[0];
    if (!instance) throw usage("give the instance to roll back");
    if (values.to === undefined) throw usage("give the deployment to go back to with --to DEPLOYMENT_ID (alchemist history lists them)");
    const to = subjectTokenFlag(values.to, "--to");
    const o = { ...hubOptions(values, usage), ...sendOptions(values, usage) };
    const out = printer(o.json);
    return await withHub(o, "rollback", async (client) => {
      const deployments = await snapshot<DeploymentSummary>((report) => client.watchDeployments(report, () => undefined));
      const target = targetOf(Object.values(deployments).filter((d) => d.deploymentId === to), instance, to);
      const current = lastSucceeded(deployments, instance);
      const [before, after] = await Promise.all([
        current ? client.files(current.leafId, current.deploymentId).catch(() => null) : null,
        client.files(target.leafId, target.deploymentId),
      ]);
      if (!after) throw new AlchemistFailure(err("E_UNKNOWN_DEPLOYMENT", `the files of ${to} are no longer kept in cim_flakes (its limits removed them), so it cannot be deployed again`));
      const { diffs, unchanged } = diffFiles(before ?? {}, after);
      out.review({
        instance,
        leaf: target.leafId,
        action: o.action,
        confirm: o.confirm,
        baseline: current?.deploymentId ?? null,
        // A rollback deploys files, not a design: the nodes are not compared.
        nodes: { added: [], changed: [], removed: [] },
        files: diffs.map((d) => ({ path: d.path, status: d.status })),
        unchangedFiles: unchanged,
      });
      return await askSendFollow<RollbackCommand>(client, out, o, { text: `Roll ${instance} back to ${to} with leaf ${target.leafId}?`, declined: "not rolled back" }, target.leafId, (envelope) => ({
        v: 1,
        type: "rollback",
        ...envelope,
        instance,
        toDeploymentId: to,
        action: o.action,
        confirm: o.confirm,
      }));
    });
  },
};

/** The deployment to go back to, of the records with its id: of this instance, and one that succeeded. */
function targetOf(records: readonly DeploymentSummary[], instance: string, to: string): DeploymentSummary {
  const ours = records.filter((d) => d.instance === instance);
  if (ours.length > 1) throw usage(`leaves ${ours.map((d) => d.leafId).join(", ")} each have a deployment ${to} of ${instance}; the ids are not unique, so roll back with the app, where each is shown with its leaf`);
  const target = ours[0];
  if (!target) {
    const whose = records[0] ? ` (${to} is a deployment of ${records[0].instance})` : "";
    throw new AlchemistFailure(err("E_UNKNOWN_DEPLOYMENT", `the hub's registry has no deployment ${to} of ${instance}${whose}; alchemist history ${instance} lists them`));
  }
  if (target.state !== "succeeded") {
    throw new AlchemistFailure(err("E_ROLLBACK_TARGET", `deployment ${to} of ${instance} ended ${target.state}, so its files never ran as a whole; roll back to one that succeeded (alchemist history ${instance})`));
  }
  return target;
}
