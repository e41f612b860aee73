import { NoRespondersError, PermissionViolationError, type NatsConnection } from "@nats-io/nats-core";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { AlchemistFailure, err, messageOf } from "../core/errors";
import {
  COMMANDS_STREAM,
  COMMANDS_SUBJECTS,
  DEFAULT_COMMAND_LIMITS,
  DEFAULT_STORE_LIMITS,
  EXECUTOR_STORES,
  DEPLOYMENTS_BUCKET,
  DESIGNS_BUCKET,
  DESIGN_HISTORY,
  DESIGN_MAX_BYTES,
  EVENTS_SUBJECTS,
  FLAKES_BUCKET,
  LEAVES_BUCKET,
  STORE_STREAMS,
  commandConsumerName,
  commandSubject,
  kvSubject,
  type StoreLimits,
  type StoreName,
} from "../core/protocol";

export interface DeployStores {
  js: JetStreamClient;
  jsm: JetStreamManager;
  leaves: KV;
  deployments: KV;
  flakes: KV;
}

const NS = 1e9;
const KiB = 1024;
const MiB = 1024 * KiB;
const DUPLICATE_WINDOW_S = 120;


type Settings = Pick<StreamConfig, "name" | "subjects" | "retention" | "max_age" | "max_bytes" | "max_msg_size" | "discard" | "allow_direct" | "allow_rollup_hdrs" | "duplicate_window"> &
  Partial<Pick<StreamConfig, "max_msgs_per_subject" | "deny_delete" | "deny_purge">>;

/**
 * The stream behind each store, with its limits. KV buckets are made as streams directly,
 * the way nats.js makes them, but without rollup headers: with them, a leaf allowed to write
 * only its own key could purge the whole bucket by publishing `Nats-Rollup: all` to that key.
 * Full commands refuse new ones (the sender hears it) rather than drop waiting ones, and full
 * designs refuse saves rather than lose a design; the other stores let the oldest entries go,
 * so a full store never stops heartbeats or events.
 */
function storeSettings(limits: StoreLimits): Record<StoreName, Settings> {
  const limit = (s: StoreName) => ({
    max_age: limits[s].maxAgeS * NS,
    max_bytes: limits[s].maxBytes,
    duplicate_window: Math.min(DUPLICATE_WINDOW_S, limits[s].maxAgeS) * NS,
  });
  const bucket = (name: string, store: StoreName, history: number, maxValue: number, discard: DiscardPolicy = DiscardPolicy.Old): Settings => ({
    name: STORE_STREAMS[store],
    subjects: [kvSubject(name, ">")],
    retention: RetentionPolicy.Limits,
    max_msgs_per_subject: history,
    max_msg_size: Math.min(maxValue, limits[store].maxBytes),
    discard,
    allow_direct: true,
    allow_rollup_hdrs: false,
    deny_delete: true,
    deny_purge: false,
    ...limit(store),
  });
  return {
    commands: {
      name: STORE_STREAMS.commands,
      subjects: [COMMANDS_SUBJECTS],
      retention: RetentionPolicy.Workqueue,
      max_msg_size: Math.min(DEFAULT_COMMAND_LIMITS.maxBytes, limits.commands.maxBytes),
      discard: DiscardPolicy.New,
      // An executor reads a cancel waiting for one of its deployments by a direct get naming the subject.
      allow_direct: true,
      allow_rollup_hdrs: false,
      ...limit("commands"),
    },
    events: {
      name: STORE_STREAMS.events,
      subjects: [EVENTS_SUBJECTS],
      retention: RetentionPolicy.Limits,
      max_msg_size: MiB,
      discard: DiscardPolicy.Old,
      // An executor reads the last event of its own deployments by a direct get naming the subject.
      allow_direct: true,
      allow_rollup_hdrs: false,
      ...limit("events"),
    },
    leaves: bucket(LEAVES_BUCKET, "leaves", 1, 64 * KiB),
    deployments: bucket(DEPLOYMENTS_BUCKET, "deployments", 5, 256 * KiB),
    // One entry holds every file of one deployment: as large as the largest command.
    flakes: bucket(FLAKES_BUCKET, "flakes", 1, DEFAULT_COMMAND_LIMITS.maxBytes),
    designs: bucket(DESIGNS_BUCKET, "designs", DESIGN_HISTORY, DESIGN_MAX_BYTES, DiscardPolicy.New),
  };
}

const isNotFound = (e: unknown) => e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound;

/** What an existing stream must change to match `want` (only what a stream update may change). */
function drift(have: StreamConfig, want: Settings & { num_replicas: number }): Partial<StreamConfig> | undefined {
  const keys = ["max_age", "max_bytes", "max_msg_size", "discard", "allow_direct", "allow_rollup_hdrs", "duplicate_window", "num_replicas"] as const;
  // A stream made before replicas were set says nothing, which is one.
  const changed = keys.filter((k) => (k === "num_replicas" ? (have.num_replicas || 1) !== want.num_replicas : have[k] !== want[k]));
  return changed.length > 0 ? Object.fromEntries(changed.map((k) => [k, want[k]])) : undefined;
}

/** Copies of every store a hub keeps: 1 on a single server, 3 on a cluster (Raft needs a majority). */
export const DEFAULT_REPLICAS = 1;
export const MAX_REPLICAS = 5;

/**
 * Creates the streams and buckets of the protocol with their limits and `replicas` copies, or
 * brings existing ones to them: streams of a cluster made with fewer copies become replicated in
 * place (JetStream copies them to the other members). Needs the admin role (stream
 * create and update); `alchemist up` runs it with the admin's credentials at every start, so
 * changed limits take effect.
 */
export async function ensureDeployStores(
  nc: NatsConnection,
  domain: string | undefined,
  limits: StoreLimits = DEFAULT_STORE_LIMITS,
  { replicas = DEFAULT_REPLICAS, only }: { replicas?: number; only?: readonly string[] } = {},
): Promise<void> {
  const jsm = await jetstreamManager(nc, domain ? { domain } : {});
  for (const settings of Object.values(storeSettings(limits))) {
    if (only && !only.includes(settings.name)) continue;
    const want = { ...settings, num_replicas: replicas };
    let have: StreamConfig | undefined;
    try {
      have = (await jsm.streams.info(want.name)).config;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!have) {
      await jsm.streams.add({ ...want, storage: StorageType.File }).catch(async (e: unknown) => {
        // Another admin or executor made it between our look and our add.
        await jsm.streams.info(want.name).catch(() => Promise.reject(e));
      });
      continue;
    }
    const update = drift(have, want);
    if (update) await jsm.streams.update(want.name, update);
  }
}

/**
 * Opens the protocol's stores for an executor. A store that does not exist is created with the
 * default limits when this identity may (a hub without permissions); an executor with its
 * role's credentials may not, and is told which stores are missing and who makes them.
 */
export async function openDeployStores(nc: NatsConnection, domain: string | undefined, replicas = DEFAULT_REPLICAS): Promise<DeployStores> {
  const opts = domain ? { domain } : {};
  const jsm = await jetstreamManager(nc, opts);
  const js = jetstream(nc, opts);
  const missing: string[] = [];
  for (const name of EXECUTOR_STORES.map((s) => STORE_STREAMS[s])) {
    await jsm.streams.info(name).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
      missing.push(name);
    });
  }
  if (missing.length > 0) {
    try {
      // Only the missing ones: the others keep the limits and replicas their admin gave them.
      await ensureDeployStores(nc, domain, DEFAULT_STORE_LIMITS, { replicas, only: missing });
    } catch (e) {
      // The look-ups were answered, so JetStream is there: a create nobody answers did not get
      // through, which over a leafnode link is how a permission shows (the leaf server drops it).
      const unanswered = e instanceof NoRespondersError || (e instanceof Error && e.name === "JetStreamNotEnabled");
      const why =
        e instanceof PermissionViolationError
          ? "this executor's credentials may not create them"
          : unanswered
            ? "the request reached nobody: this executor's credentials, or those of the leaf server it talks through, may not create them"
            : messageOf(e);
      throw new AlchemistFailure(
        err("E_STORE_MISSING", `the hub has no ${missing.join(", ")} and they could not be made (${why}); an admin creates them: \`alchemist up\` does at every start, elsewhere run ensureDeployStores with the admin's credentials`),
      );
    }
  }
  // Bound, not created: every read is a direct get naming the key, the only reads a leaf may make.
  const kvm = new Kvm(js);
  const open = (name: string) => kvm.open(name, { allow_direct: true });
  return { js, jsm, leaves: await open(LEAVES_BUCKET), deployments: await open(DEPLOYMENTS_BUCKET), flakes: await open(FLAKES_BUCKET) };
}

/**
 * The leaf's durable consumer of its commands, made anew at every start: deleting it makes
 * JetStream hand back at once every command the previous run held but never acknowledged
 * (with work-queue retention, acknowledged commands are already gone). One executor per leaf id.
 * It is created with the subject form `…CONSUMER.CREATE.<stream>.executor-L.cim.deploy.commands.L`,
 * the only one the executor's permissions allow: the server refuses a body naming another filter.
 */
export async function recreateCommandConsumer(jsm: JetStreamManager, leafId: string, ackWaitMs: number): Promise<string> {
  const name = commandConsumerName(leafId);
  await jsm.consumers.delete(COMMANDS_STREAM, name).catch(() => undefined);
  await jsm.consumers.add(COMMANDS_STREAM, {
    durable_name: name,
    filter_subject: commandSubject(leafId),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ackWaitMs * 1e6,
    max_ack_pending: 10_000,
    max_deliver: -1,
  });
  return name;
}
