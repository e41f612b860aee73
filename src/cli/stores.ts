import { AlchemistFailure, err, messageOf } from "../core/errors";
import { STORE_LIMITS_ENV, STORE_STREAMS, parseStoreLimits } from "../core/protocol";
import { jetstreamManager } from "@nats-io/jetstream";
import { DEFAULT_REPLICAS, MAX_REPLICAS, ensureDeployStores } from "../executor/jetstreamSetup";
import type { Command } from "./command";
import { parseFlags } from "./args";
import { HUB_HELP, HUB_OPTIONS, hubOptions, usageOf, withConnection } from "./hubSession";
import { copyStores } from "./stack/copyStores";

const HELP = `usage: alchemist stores [--replicas N] [--store-limits LIST] [--copy-from URL] --creds ADMIN.creds [options]

Creates the hub's deploy streams and buckets, or brings existing ones to the limits and the
number of copies given: what \`alchemist up\` does at every start, for a hub it did not start
(services.alchemist-hub). Needs the admin identity's credentials. On a cluster, --replicas 3
keeps every store on three members, so any one may be lost; streams of the cluster made with
fewer copies are brought to three in place. A single hub's stores do not become a cluster's
by restarting it with routes: serve its old store folder with a nats-server of its own and
copy them in with --copy-from (each store of this hub is emptied first, then gets every
message of the other's, in order).

options:
  --replicas N         copies of each store, 1 to ${MAX_REPLICAS}, at most the cluster's members (default ${DEFAULT_REPLICAS})
  --store-limits LIST  age and size limits, e.g. events.age=7d,flakes.bytes=4GiB [${STORE_LIMITS_ENV}]
  --copy-from URL      another hub (same authority, same admin credentials) whose stores to copy into this one's
${HUB_HELP}
`;

const usage = usageOf("stores");

export const storesCommand: Command = {
  summary: "create the hub's deploy streams and buckets, or bring them to given limits and copies",
  async run(argv) {
    const { values } = parseFlags("stores", argv, { replicas: { type: "string" }, "store-limits": { type: "string" }, "copy-from": { type: "string", multiple: true }, ...HUB_OPTIONS });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const replicas = values.replicas === undefined ? DEFAULT_REPLICAS : Number(values.replicas);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) throw usage(`--replicas must be a whole number from 1 to ${MAX_REPLICAS}, got "${String(values.replicas)}"`);
    const limitsText = (values["store-limits"] as string | undefined) ?? process.env[STORE_LIMITS_ENV];
    const limits = parseStoreLimits(limitsText, values["store-limits"] === undefined ? STORE_LIMITS_ENV : "--store-limits");
    if (!limits.ok) throw new AlchemistFailure(limits.error);
    const o = hubOptions(values, usage);
    return await withConnection(o, "stores", async (nc) => {
      try {
        await ensureDeployStores(nc, o.jsDomain, limits.value, { replicas });
      } catch (e) {
        throw new AlchemistFailure(err("E_NATS", `the stores could not be made or changed (${messageOf(e)}); they need the admin identity's credentials, and --replicas at most the hub's members`));
      }
      const copyFrom = values["copy-from"] as string[] | undefined;
      if (copyFrom) {
        const copied = await withConnection({ ...o, servers: copyFrom }, "stores", (from) => copyStores(from, nc, o.jsDomain));
        if (!o.json) console.log(`copied from ${copyFrom.join(", ")}: ${Object.entries(copied).map(([s, n]) => `${s} ${n}`).join(", ")}`);
      }
      const jsm = await jetstreamManager(nc, { domain: o.jsDomain });
      for (const name of Object.values(STORE_STREAMS)) {
        const info = await jsm.streams.info(name);
        const where = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].filter(Boolean).join(", ");
        const line = { stream: name, replicas: info.config.num_replicas, on: where, messages: info.state.messages, bytes: info.state.bytes };
        console.log(o.json ? JSON.stringify(line) : `${name}: ${line.replicas} ${line.replicas === 1 ? "copy" : "copies"}${where ? ` on ${where}` : ""}, ${line.messages} messages, ${line.bytes} bytes`);
      }
      return 0;
    });
  },
};
