import { AlchemistFailure, err } from "../core/errors";
import type { Command } from "./command";
import { parseFlags, subjectTokenFlag } from "./args";
import { HUB_HELP, HUB_OPTIONS, hubOptions, printer, registered, usageOf, watch, withHub } from "./hubSession";

/** How long a deployment just sent may take to reach the registry (its leaf takes it first). */
const REGISTRY_WAIT_MS = 15_000;

const HELP = `usage: alchemist watch DEPLOYMENT_ID [options]

Follows a deployment from its first event to its end (one that has ended is shown whole),
as text or one JSON object a line, and exits with how it ended. A deployment waiting for its
confirmation asks for it when the input is a terminal.

options:
  --leaf ID            the leaf it was sent to (default: the one the hub's registry names)
${HUB_HELP}

exit codes: 0 succeeded; 1 bad input or no such deployment; 3 failed; 4 rolled back;
  5 cancelled; 6 rejected by the leaf.
`;

const usage = usageOf("watch");

export const watchCommand: Command = {
  summary: "follow a deployment to its end; the exit code says how it ended",
  async run(argv) {
    const { values, positionals } = parseFlags("watch", argv, { leaf: { type: "string" }, ...HUB_OPTIONS }, { max: 1, what: "one deployment id" });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const deploymentId = positionals[0];
    if (!deploymentId) throw usage("give the deployment to watch");
    subjectTokenFlag(deploymentId, "DEPLOYMENT_ID");
    const o = hubOptions(values, usage);
    const asked = values.leaf === undefined ? undefined : subjectTokenFlag(values.leaf, "--leaf");
    return await withHub(o, "watch", async (client) => {
      let leafId = asked;
      if (leafId === undefined) {
        const known = await registered(client, deploymentId, REGISTRY_WAIT_MS);
        if (known.length === 0) throw new AlchemistFailure(err("E_UNKNOWN_DEPLOYMENT", `the hub's registry has no deployment ${deploymentId} (waited ${REGISTRY_WAIT_MS / 1000} s for its leaf to take it); check the id, or name its leaf with --leaf to wait for it as long as it takes`));
        if (known.length > 1) throw usage(`leaves ${known.map((d) => d.leafId).join(", ")} each have a deployment ${deploymentId}; choose one with --leaf`);
        leafId = known[0]!.leafId;
      }
      return await watch(client, deploymentId, leafId, printer(o.json), !o.json);
    });
  },
};
