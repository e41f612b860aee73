import { headers, nuid, type NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import {
  DEPLOYMENTS_BUCKET,
  EVENTS_STREAM,
  FLAKES_BUCKET,
  HEADER_CAUSATION_ID,
  HEADER_CORRELATION_ID,
  HEADER_MESSAGE_ID,
  LEAVES_BUCKET,
  commandSubject,
  deploymentEventsFilter,
  deploymentKey,
  leavesByKey,
  parseEvent,
  ownSummaries,
  type Command,
  type DeployEvent,
  type DeploymentSummary,
  type LeafRecord,
} from "../../core/protocol";

export type Stop = () => void;

/**
 * The browser's side of the deploy protocol, over any NATS connection (WebSocket in the
 * browser): send commands, watch the leaf registry and the deployment summaries, replay and
 * follow the events of a deployment. Everything it reports comes from the hub.
 */
export class DeployClient {
  private readonly js: JetStreamClient;
  private jsm: Promise<JetStreamManager>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly domain = "hub",
  ) {
    this.js = jetstream(nc, { domain });
    this.jsm = jetstreamManager(nc, { domain });
  }

  /** A command or deployment id: `<prefix>-<time>-<nuid>`, sortable by time and unique. */
  newId(prefix: string): string {
    return `${prefix}-${Date.now().toString(36)}-${nuid.next()}`;
  }

  /** Publishes a command; `Nats-Msg-Id` = its command id, so sending it twice runs it once. */
  async send(command: Command): Promise<void> {
    const h = headers();
    h.set(HEADER_MESSAGE_ID, command.commandId);
    h.set(HEADER_CORRELATION_ID, command.deploymentId);
    h.set(HEADER_CAUSATION_ID, command.commandId);
    await this.js.publish(commandSubject(command.leafId), JSON.stringify(command), { msgID: command.commandId, headers: h, timeout: 10_000 });
  }

  private async watchBucket<T>(bucket: string, onChange: (all: Record<string, T>) => void): Promise<Stop> {
    const kv: KV = await new Kvm(this.js).open(bucket);
    const all: Record<string, T> = {};
    // A watch of an empty bucket yields nothing until the first put: say now that it is empty.
    if ((await kv.status()).values === 0) onChange({});
    const watch = await kv.watch();
    void (async () => {
      for await (const e of watch) {
        if (e.operation === "PUT" && e.length > 0) {
          try {
            all[e.key] = e.json<T>();
          } catch {
            continue;
          }
        } else delete all[e.key];
        // Report once the initial values are in, then on every change.
        if (e.delta === 0 || e.isUpdate) onChange({ ...all });
      }
    })();
    return () => watch.stop();
  }

  watchLeaves(onChange: (leaves: Record<string, LeafRecord>) => void): Promise<Stop> {
    return this.watchBucket<LeafRecord>(LEAVES_BUCKET, (all) => onChange(leavesByKey(all)));
  }

  /** The summaries by their keys `<leafId>.<deploymentId>`, each only if its own leaf's. */
  watchDeployments(onChange: (deployments: Record<string, DeploymentSummary>) => void): Promise<Stop> {
    return this.watchBucket<DeploymentSummary>(DEPLOYMENTS_BUCKET, (all) => onChange(ownSummaries(all)));
  }

  /**
   * Every event of a deployment from the first, then live ones as they come: of `leafId`'s
   * subject when the leaf is known (no other leaf can publish there), else of any leaf's. The
   * consumer is made with the single `filter_subject` that nats-server 2.9 understands. When the
   * connection drops it is made again from the stream message after the last one delivered
   * (from the first when none was); the caller also drops what it has seen by `seq`, so a
   * resumed view has no gaps and no duplicates.
   */
  follow(deploymentId: string, onEvent: (e: DeployEvent) => void, onProblem: (reason: string) => void = () => undefined, leafId?: string): Stop {
    let stopped = false;
    let stopCurrent: (() => void) | undefined;
    let lastStreamSeq = 0;
    const run = async () => {
      while (!stopped) {
        try {
          const jsm = await this.jsm;
          const info = await jsm.consumers.add(EVENTS_STREAM, {
            name: `browser-${nuid.next()}`,
            filter_subject: deploymentEventsFilter(deploymentId, leafId),
            ...(lastStreamSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastStreamSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
            ack_policy: AckPolicy.None,
            inactive_threshold: 60e9,
          });
          const consumer = await this.js.consumers.get(EVENTS_STREAM, info.name);
          const messages = await consumer.consume({ max_messages: 256 });
          stopCurrent = () => {
            void messages.stop();
            void consumer.delete().catch(() => undefined);
          };
          for await (const m of messages) {
            lastStreamSeq = m.seq;
            const parsed = parseEvent(m.string());
            if (parsed.ok) onEvent(parsed.event);
            else onProblem(`event ${m.seq} of ${deploymentId} dropped: ${parsed.reason}`);
          }
        } catch (e) {
          if (stopped) return;
          onProblem(`following ${deploymentId}: ${(e as Error).message}; retrying`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    void run();
    return () => {
      stopped = true;
      stopCurrent?.();
    };
  }

  /** The files a deployment sent, from cim_flakes; null when the bucket no longer has them. */
  async files(leafId: string, deploymentId: string): Promise<Record<string, string> | null> {
    // Bound, not looked up: an operator reads single entries by direct gets naming the key.
    const kv = await new Kvm(this.js).open(FLAKES_BUCKET, { allow_direct: true });
    const e = await kv.get(deploymentKey(leafId, deploymentId));
    return e?.operation === "PUT" && e.length > 0 ? (e.json() as Record<string, string>) : null;
  }
}
