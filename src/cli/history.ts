import { historyOf, type DeploymentSummary } from "../core/protocol";
import type { Command } from "./command";
import { parseFlags } from "./args";
import { HUB_HELP, HUB_OPTIONS, hubOptions, snapshot, usageOf, withHub } from "./hubSession";

const HELP = `usage: alchemist history INSTANCE [options]

The deployments of an instance, newest first, as the hub's registry has them: when the leaf
took each, its id, leaf, action, how it ended, who signed it, what it rolled back to and why
it failed. With --json, one deployment summary a line (the registry's record, unchanged).

options:
  --limit N            show the newest N only
${HUB_HELP}
`;

const usage = usageOf("history");

/** One line a deployment, in columns a person reads and grep finds; of an error, its first line (--json has all). */
export function historyLine(d: DeploymentSummary): string {
  const extra = [d.rollbackOf ? `rollback of ${d.rollbackOf}` : "", d.error ? `${d.error.code}: ${d.error.message.split("\n")[0]}` : ""].filter(Boolean).join("; ");
  return [d.acceptedAt, d.deploymentId, d.leafId, d.action, d.state, `by ${d.signer.name}`, extra].filter(Boolean).join("  ");
}

export const historyCommand: Command = {
  summary: "list the deployments of an instance, newest first",
  async run(argv) {
    const { values, positionals } = parseFlags("history", argv, { limit: { type: "string" }, ...HUB_OPTIONS }, { max: 1, what: "one instance" });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const instance = positionals[0];
    if (!instance) throw usage("give the instance whose deployments to list");
    const limit = values.limit === undefined ? Infinity : Number(values.limit);
    if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw usage(`--limit must be a whole number ≥ 1, got "${String(values.limit)}"`);
    const o = hubOptions(values, usage);
    return await withHub(o, "history", async (client) => {
      const all = historyOf(await snapshot<DeploymentSummary>((report) => client.watchDeployments(report, () => undefined)), instance).slice(0, limit);
      if (o.json) for (const d of all) console.log(JSON.stringify(d));
      else if (all.length === 0) console.log(`no deployments of ${instance}`);
      else for (const d of all) console.log(historyLine(d));
      return 0;
    });
  },
};
