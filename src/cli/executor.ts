import { makeDirs } from "./dirs";
import { AlchemistFailure, err, formatError, isAlchemistFailure, messageOf } from "../core/errors";
import { DEFAULT_KEEP_DEPLOYMENTS, ENV, kebab, resolveConfig, type ConfigKey } from "../executor/config";
import { connectExecutor } from "../executor/connection";
import { Executor } from "../executor/executor";
import type { LeafLease } from "../executor/lease";
import { Recovery } from "../executor/recoveryAtStart";
import { parseFlags } from "./args";
import type { Command } from "./command";

const HELP = `usage: alchemist executor [options]

Runs the leaf-side executor: takes deploy commands for its leaf from the hub's JetStream,
runs each deployment (prepare, check, evaluate, build, activate, health, confirm) and streams
its events back. Every option can also be given by the environment variable in brackets.

  --leaf-id ID              this leaf's id (required) [${ENV.leafId}]
  --servers URL[,URL…]      NATS servers, nats:// or tls:// [${ENV.servers}] (default nats://127.0.0.1:4222)
  --user NAME --password P  user/password auth [${ENV.user}, ${ENV.password}]
  --token T                 token auth [${ENV.token}]
  --creds-file FILE         NATS credentials (JWT + nkey) [${ENV.credsFile}]
  --tls-ca-file FILE        CA for tls:// servers [${ENV.tlsCaFile}]
  --js-domain NAME          the hub's JetStream domain [${ENV.jsDomain}] (default hub)
  --work-dir DIR            deployment folders [${ENV.workDir}] (default .alchemist/executor-<leaf>)
  --instances A,B|*         instances this leaf may deploy, * for any [${ENV.instances}]
                            (default: its own host, the instance named like this machine)
  --nixos-rebuild PATH      [${ENV.nixosRebuild}] (default: nixos-rebuild on PATH)
  --nix-instantiate PATH    [${ENV.nixInstantiate}] (default: nix-instantiate on PATH)
  --systemctl PATH          [${ENV.systemctl}] (default: systemctl on PATH)
  --nix PATH                locks the flake's inputs [${ENV.nix}] (default: nix on PATH)
  --nix-env PATH            sets the system profile back in a rollback [${ENV.nixEnv}] (default: nix-env on PATH)
  --current-system PATH     the running system's link [${ENV.currentSystem}] (default /run/current-system)
  --system-profile PATH     the system profile [${ENV.systemProfile}] (default /nix/var/nix/profiles/system)
  --boot-id PATH            a file that changes at every boot [${ENV.bootId}] (default /proc/sys/kernel/random/boot_id)
  --step-timeouts S=N,…     seconds per step, e.g. build=7200 [${ENV.stepTimeouts}]
  --max-command-bytes N     the largest command accepted [${ENV.maxCommandBytes}] (default 8 MiB)
  --trusted-keys FILE|LIST  the keys whose signed commands this leaf runs (required): a file of
                            "<PUBLIC_KEY> [name]" lines (# comments), or KEY [name],KEY [name]…
                            [${ENV.trustedKeys}]
  --command-max-age S       refuse commands requested longer ago than S seconds
                            [${ENV.commandMaxAge}] (default 86400; at most 300 s ahead of this clock)
  --replicas N              copies of a store it creates when the hub has none (1–5; 3 on a
                            cluster) [${ENV.replicas}] (default 1)
  --keep-deployments N      deployment folders kept, older ones removed [${ENV.keepDeployments}] (default ${DEFAULT_KEEP_DEPLOYMENTS})
  --recover-only            the boot check: roll back every activation recorded before the last
                            boot and not confirmed (to the system recorded before it), and exit
                            (1 when a rollback failed); the next start reports them
`;

const KEYS = Object.keys(ENV) as ConfigKey[];

/** How long a stopping executor waits for the hub before it goes anyway. */
const STOP_GRACE_MS = 2000;

export const executorCommand: Command = {
  summary: "run the leaf-side executor",
  async run(argv) {
    const { values } = parseFlags("executor", argv, {
      // --nats-url is what `alchemist up` and older docs say; it means --servers.
      "nats-url": { type: "string" },
      "recover-only": { type: "boolean" },
      ...Object.fromEntries(KEYS.map((k) => [kebab(k), { type: "string" as const }])),
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const flags: Partial<Record<ConfigKey, string>> = {};
    for (const k of KEYS) if (typeof values[kebab(k)] === "string") flags[k] = values[kebab(k)] as string;
    if (typeof values["nats-url"] === "string") flags.servers ??= values["nats-url"];
    const config = resolveConfig(flags, process.env);
    try {
      makeDirs(config.workDir);
    } catch (e) {
      throw new AlchemistFailure(err("E_STATE_DIR", `work folder ${config.workDir} cannot be created (${(e as NodeJS.ErrnoException).code})`));
    }
    const log = (line: string) => console.log(line);
    // Before anything else touches the machine or the work folder, and without the hub: a rollback must not wait for the network.
    const recovery = await Recovery.run(config, log, { bootCheck: values["recover-only"] === true });
    if (values["recover-only"]) return recovery.failures > 0 ? 1 : 0;
    const nc = await connectExecutor({ servers: config.servers, leafId: config.leafId, auth: config.auth }, log);
    let stopping = false;
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        stopping = true;
        resolve();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    let executor: Executor | undefined;
    // What was seen of another executor holding this leaf id, kept between tries (src/executor/lease.ts).
    const leases = new Map<string, LeafLease>();
    while (!executor && !stopping) {
      try {
        executor = await Executor.start(nc, config, log, leases, recovery);
      } catch (e) {
        // The hub, its JetStream or its stores (made by an admin) may come after us: keep trying rather than exit.
        log(isAlchemistFailure(e) ? `${formatError(e.error)}; retrying in 2 s` : `JetStream on the hub is not reachable yet (${messageOf(e)}); retrying in 2 s`);
        await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000))]);
      }
    }
    // Another executor taking the leaf over ends this one with an error: a supervisor's restart then waits for the lease.
    const lost = await Promise.race([stopped.then(() => undefined), executor ? executor.lost : new Promise<never>(() => undefined)]);
    // Should anything still hold the event loop after the grace (a reconnect timer, a child's
    // pipe), the process goes anyway: unref'd, this fires only if nothing else would end it.
    setTimeout(() => process.exit(0), STOP_GRACE_MS + 1000).unref();
    // With the hub away every request in stop() waits for its own timeout; the supervisor (systemd,
    // `alchemist up`) waits for us meanwhile. Whatever is not done by then is safe to drop: the
    // commands held are unacknowledged, so the next start reports them.
    recovery.stop();
    const done = (async () => {
      await executor?.stop();
      await nc.drain();
    })().catch(() => undefined);
    await Promise.race([done, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    await nc.close().catch(() => undefined);
    if (lost) {
      console.error(formatError(lost));
      return 1;
    }
    return 0;
  },
};
