import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { Objm, type ObjectStore } from "@nats-io/obj";
import {
  COMMANDS_STREAM,
  COMMANDS_SUBJECTS,
  DEPLOYMENTS_BUCKET,
  EVENTS_STREAM,
  EVENTS_SUBJECTS,
  FLAKES_STORE,
  LEAVES_BUCKET,
  commandSubject,
} from "../core/protocol";

const DAY_NS = 24 * 60 * 60 * 1e9;

export interface DeployStores {
  js: JetStreamClient;
  jsm: JetStreamManager;
  leaves: KV;
  deployments: KV;
  flakes: ObjectStore;
}

async function ensureStream(jsm: JetStreamManager, name: string, config: Parameters<JetStreamManager["streams"]["add"]>[0]): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch {
    // not there yet
  }
  try {
    await jsm.streams.add(config);
  } catch (e) {
    // Another executor or browser created it between our look and our add.
    await jsm.streams.info(name).catch(() => {
      throw e;
    });
  }
}

/**
 * Creates (if missing) the streams, buckets and object store of the protocol on the hub, and
 * opens them. Safe to run from every executor at every start.
 */
export async function openDeployStores(nc: NatsConnection, domain: string | undefined): Promise<DeployStores> {
  const opts = domain ? { domain } : {};
  const jsm = await jetstreamManager(nc, opts);
  const js = jetstream(nc, opts);
  await ensureStream(jsm, COMMANDS_STREAM, {
    name: COMMANDS_STREAM,
    subjects: [COMMANDS_SUBJECTS],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: 2 * 60 * 1e9,
  });
  await ensureStream(jsm, EVENTS_STREAM, {
    name: EVENTS_STREAM,
    subjects: [EVENTS_SUBJECTS],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: 30 * DAY_NS,
    duplicate_window: 2 * 60 * 1e9,
  });
  const kvm = new Kvm(js);
  const leaves = await kvm.create(LEAVES_BUCKET, { history: 1, storage: StorageType.File });
  const deployments = await kvm.create(DEPLOYMENTS_BUCKET, { history: 5, storage: StorageType.File });
  const flakes = await new Objm(js).create(FLAKES_STORE, { storage: StorageType.File });
  return { js, jsm, leaves, deployments, flakes };
}

export const consumerName = (leafId: string) => `executor-${leafId}`;

/**
 * The leaf's durable consumer of its commands, made anew at every start: deleting it makes
 * JetStream hand back at once every command the previous run held but never acknowledged
 * (with work-queue retention, acknowledged commands are already gone). One executor per leaf id.
 */
export async function recreateCommandConsumer(jsm: JetStreamManager, leafId: string, ackWaitMs: number): Promise<string> {
  const name = consumerName(leafId);
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
