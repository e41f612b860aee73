import { headers, nuid, type NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV, type KvWatchEntry } from "@nats-io/kv";
import {
  COMMANDS_STREAM,
  DEPLOYMENTS_BUCKET,
  EVENTS_STREAM,
  FLAKES_BUCKET,
  HEADER_CAUSATION_ID,
  HEADER_CORRELATION_ID,
  HEADER_MESSAGE_ID,
  LEAVES_BUCKET,
  cancelBeforeStartSubject,
  commandSubject,
  deploymentEventsFilter,
  deploymentKey,
  heardFromHub,
  learnOffset,
  signatureHeaders,
  storeRefusal,
  type Command,
  type CancelCommand,
  type CommandSigner,
  type DeployEvent,
  type DeploymentSummary,
  type LeafRecord,
} from "../core/protocol";
import { parseDeploymentSummary, parseEventMessage, parseLeafRecord, parseStoredFiles, type Parsed } from "../core/protocol/schemas";
import { AlchemistFailure, messageOf } from "../core/errors";

export type Stop = () => void;

/** Where a dropped entry is said when the caller names no better place. */
const warn = (reason: string): void => console.warn(reason);

/**
 * The operator's side of the deploy protocol, over any NATS connection (WebSocket in the
 * browser, TCP in `alchemist deploy`): send commands, watch the leaf registry and the
 * deployment summaries, replay and follow the events of a deployment. Everything it reports
 * comes from the hub. Outside src/core because it keeps timers (retries); it uses no Node API
 * and no DOM, so the browser and the CLI run the same code.
 */
export class DeployClient {
  /** The hub's clock minus this one's, learned from live KV updates (presence.ts). */
  private hubOffsetMs: number | undefined;
  private readonly js: JetStreamClient;
  private jsm: Promise<JetStreamManager>;

  /** `signer` signs every command; without one, commands go out unsigned and every leaf rejects them (E_CMD_UNSIGNED). */
  constructor(
    private readonly nc: NatsConnection,
    private readonly domain = "hub",
    private readonly signer?: CommandSigner,
  ) {
    this.js = jetstream(nc, { domain });
    this.jsm = jetstreamManager(nc, { domain });
  }

  /** A command or deployment id: `<prefix>-<time>-<nuid>`, sortable by time and unique. */
  newId(prefix: string): string {
    return `${prefix}-${Date.now().toString(36)}-${nuid.next()}`;
  }

  /**
   * Publishes a command, signed over the exact bytes sent; `Nats-Msg-Id` = its command id, so
   * sending it twice runs it once.
   */
  send(command: Command): Promise<void> {
    return this.publish(commandSubject(command.leafId), command);
  }

  /**
   * Leaves a cancel where the leaf looks before it starts the deployment (names.ts,
   * cancelBeforeStartSubject): for a deployment whose deploy command still waits in the stream,
   * which a cancel sent with `send` would only reach after it has started. Signed the same way.
   */
  cancelBeforeStart(command: CancelCommand): Promise<void> {
    return this.publish(cancelBeforeStartSubject(command.leafId, command.deploymentId), command);
  }

  /** How long the hub's command stream keeps a command that no leaf takes, in seconds: its `max_age`. */
  async commandsKeptSeconds(): Promise<number> {
    const info = await (await this.jsm).streams.info(COMMANDS_STREAM);
    return info.config.max_age / 1e9;
  }

  private async publish(subject: string, command: Command): Promise<void> {
    const body = new TextEncoder().encode(JSON.stringify(command));
    const h = headers();
    h.set(HEADER_MESSAGE_ID, command.commandId);
    h.set(HEADER_CORRELATION_ID, command.deploymentId);
    h.set(HEADER_CAUSATION_ID, command.commandId);
    if (this.signer) for (const [name, value] of Object.entries(signatureHeaders(this.signer, body))) h.set(name, value);
    await this.js.publish(subject, body, { msgID: command.commandId, headers: h, timeout: 10_000 }).catch((e: unknown) => {
      const refusal = storeRefusal(COMMANDS_STREAM, e, `command ${command.commandId} (${command.type} of ${command.deploymentId})`);
      throw refusal ? new AlchemistFailure(refusal) : e;
    });
  }

  /**
   * Every entry of a bucket, live. Each entry is checked by `parse` as it arrives: one that
   * fails is left out (and said with `onProblem`), and the others are reported as ever.
   */
  private async watchBucket<T>(
    bucket: string,
    parse: (key: string, text: string) => Parsed<T>,
    onChange: (all: Record<string, T>) => void,
    onProblem: (reason: string) => void,
    stamp: (value: T, e: KvWatchEntry, live: boolean) => T = (value) => value,
  ): Promise<Stop> {
    const kv: KV = await new Kvm(this.js).open(bucket);
    // A Map, not an object: a key may be "__proto__", which an object would take as its prototype.
    const all = new Map<string, T>();
    // A watch of an empty bucket yields nothing until the first put: say now that it is empty.
    let loaded = (await kv.status()).values === 0;
    if (loaded) onChange({});
    const watch = await kv.watch();
    void (async () => {
      for await (const e of watch) {
        const parsed = e.operation === "PUT" && e.length > 0 ? parse(e.key, e.string()) : undefined;
        if (parsed && !parsed.ok) onProblem(`${bucket} entry ${e.key} ignored: ${parsed.reason}`);
        // A bad entry replaces what the key held: what the leaf last said is not that any more.
        // After the initial values, an entry arrives as the hub stores it: it tells the hub's time.
        this.hubOffsetMs = learnOffset(this.hubOffsetMs, e.created.getTime(), Date.now(), loaded);
        if (parsed?.ok) all.set(e.key, stamp(parsed.value, e, loaded));
        else all.delete(e.key);
        // Report once the initial values are in, then on every change.
        if (e.delta === 0 || e.isUpdate) onChange(Object.fromEntries(all));
        loaded ||= e.delta === 0 || e.isUpdate;
      }
    })().catch((e: unknown) => onProblem(`watching ${bucket}: ${messageOf(e)}`));
    return () => watch.stop();
  }

  watchLeaves(onChange: (leaves: Record<string, LeafRecord>) => void, onProblem = warn): Promise<Stop> {
    // Online or offline by the hub's clock (core/protocol/presence.ts): each entry keeps when the hub stored it.
    const stamp = (leaf: LeafRecord, e: KvWatchEntry, live: boolean) => heardFromHub(leaf, { storedMs: e.created.getTime(), localMs: Date.now(), live, offsetMs: this.hubOffsetMs });
    return this.watchBucket(LEAVES_BUCKET, parseLeafRecord, onChange, onProblem, stamp);
  }

  watchDeployments(onChange: (deployments: Record<string, DeploymentSummary>) => void, onProblem = warn): Promise<Stop> {
    return this.watchBucket(DEPLOYMENTS_BUCKET, parseDeploymentSummary, onChange, onProblem);
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
            const parsed = parseEventMessage(m.subject, m.string(), deploymentId);
            if (parsed.ok) onEvent(parsed.value);
            else onProblem(`event ${m.seq} of ${deploymentId} dropped: ${parsed.reason}`);
          }
        } catch (e) {
          if (stopped) return;
          onProblem(`following ${deploymentId}: ${messageOf(e)}; retrying`);
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
    if (e?.operation !== "PUT" || e.length === 0) return null;
    const parsed = parseStoredFiles(e.string());
    if (!parsed.ok) throw new Error(`the stored files of ${deploymentId} are not path → text: ${parsed.reason}`);
    return parsed.value;
  }
}
