import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JsMsg } from "@nats-io/jetstream";
import { err, messageOf, type AlchemistError } from "../core/errors";
import {
  COMMANDS_STREAM,
  HEADER_MESSAGE_ID,
  HEADER_SIGNATURE,
  HEADER_SIGNER,
  HEARTBEAT_INTERVAL_MS,
  TERMINAL_STATES,
  UNNAMED_DEPLOYMENT,
  cancelBeforeStartSubject,
  deploymentKey,
  parseCommand,
  requestedAtProblem,
  verifyCommandSignature,
  type Command,
  type DeploymentSummary,
  type EventBody,
  type LeafRecord,
  type Signer,
} from "../core/protocol";
import type { ExecutorConfig } from "./config";
import { Deployment } from "./deployment";
import { designHashProblem } from "./designHash";
import { DeploymentBook } from "./deploymentBook";
import { EventPublisher, lastEventSeq } from "./eventPublisher";
import { openDeployStores, recreateCommandConsumer, type DeployStores } from "./jetstreamSetup";
import type { DeploymentPlan } from "./steps/context";
import { parseStoredFiles } from "../core/protocol/schemas";
import { pruneDeploymentFolders } from "./workFolders";
import { LeafLease, describeHolder } from "./lease";
import { ActivationRecords } from "./recovery";
import type { Recovery } from "./recoveryAtStart";

export const EXECUTOR_VERSION = "0.1.0";

type Lane = { active: Deployment | undefined; queue: Deployment[] };

/**
 * The leaf-side executor: takes this leaf's commands from JetStream, runs one deployment per
 * instance at a time (the rest wait in order), answers every bad command with `rejected`, and
 * keeps the leaf registry and the deployment summaries up to date.
 */
export class Executor {
  private readonly lanes = new Map<string, Lane>();
  private readonly byId = new Map<string, Deployment>();
  /** Control command ids seen since the start, with the stream sequence of their message. */
  private readonly seenCommands = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private consuming: Promise<void> = Promise.resolve();
  private stopConsumer: (() => void) | undefined;
  /** The registry entry last written, so that stopping can mark it offline without reading it back. */
  private record: LeafRecord | undefined;
  private pruning: Promise<void> = Promise.resolve();
  /** Whether this executor can read the cancels that wait for its deployments (cancelsUnreadable); without, such a cancel is taken only once its deployment runs. */
  private cancelsReadable = false;
  private lostLease: ((error: AlchemistError) => void) | undefined;
  /** Settles when another executor has taken this leaf id over: this one has stopped taking commands. */
  readonly lost = new Promise<AlchemistError>((r) => (this.lostLease = r));

  private constructor(
    private readonly nc: NatsConnection,
    private readonly stores: DeployStores,
    private readonly book: DeploymentBook,
    private readonly config: ExecutorConfig,
    private readonly log: (line: string) => void,
    private readonly lease: LeafLease,
    private readonly recovery: Recovery | undefined,
  ) {}

  /**
   * Starts taking the leaf's commands once it holds the leaf id's lease (E_LEASE_HELD while
   * another executor does). `leases` keeps what was seen of the holder between tries.
   * `recovery`: what the previous run left (recoveryAtStart.ts), reported before any command is taken.
   */
  static async start(nc: NatsConnection, config: ExecutorConfig, log: (line: string) => void, leases: Map<string, LeafLease> = new Map(), recovery?: Recovery): Promise<Executor> {
    const stores = await openDeployStores(nc, config.jsDomain, config.replicas);
    const book = new DeploymentBook(stores.deployments, config.leafId, log);
    const lease = leases.get(config.leafId) ?? new LeafLease(stores.leaves, config.leafId, `${hostname()}:${resolve(config.workDir)}`);
    leases.set(config.leafId, lease);
    const executor = new Executor(nc, stores, book, config, log, lease, recovery);
    // Before the consumer is touched: recreating it while another executor holds the leaf would take its commands away.
    const first = executor.nextRecord();
    await lease.acquire(first);
    executor.record = first;
    const unreadable = await cancelsUnreadable(stores, config.leafId);
    executor.cancelsReadable = unreadable === undefined;
    if (unreadable) log(`a deployment cancelled while this leaf was away starts before its cancel is taken: ${unreadable}`);
    executor.heartbeat = setInterval(() => void executor.beat().catch((e) => log(`heartbeat failed: ${messageOf(e)}`)), HEARTBEAT_INTERVAL_MS);
    await recovery?.attach({
      publisherFor: (id) => executor.publisherFor(id, "recovery"),
      summaryOf: (id) => book.lookup(id),
      saveSummary: async (summary) => {
        book.record(summary);
        await stores.deployments.put(deploymentKey(config.leafId, summary.deploymentId), JSON.stringify(summary));
      },
    });
    const consumer = await recreateCommandConsumer(stores.jsm, config.leafId, config.ackWaitMs);
    executor.consuming = executor.consume(consumer);
    log(`executor for leaf "${config.leafId}" takes commands (JetStream domain ${config.jsDomain ?? "(none)"}, work dir ${config.workDir}, instances ${config.instances === "*" ? "any (*)" : config.instances.join(", ") || `none: host name ${hostname()} cannot be an instance id, give --instances`})`);
    return executor;
  }

  private async consume(consumerName: string): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await this.stores.js.consumers.get(COMMANDS_STREAM, consumerName);
        // Short-lived pulls: when the hub restarts behind the leaf (our own connection stays
        // up), a lost pull is replaced within seconds rather than at the 30 s default.
        const messages = await consumer.consume({ max_messages: 64, expires: 5000 });
        this.stopConsumer = () => void messages.stop();
        // A stop() that came while the consumer was being made found nothing to stop: without
        // this, the pull went on and stop() waited for it until the process's grace ran out,
        // leaving the leaf marked idle, not offline.
        if (this.stopped) void messages.stop();
        for await (const m of messages) {
          await this.handle(m).catch((e) => {
            // Most likely the hub did not answer a KV or publish request: try the command again
            // shortly rather than lose it.
            this.log(`command at stream seq ${m.seq} could not be handled (${messageOf(e)}); retrying in 1 s`);
            m.nak(1000);
          });
        }
      } catch (e) {
        if (this.stopped) return;
        this.log(`command consumer: ${messageOf(e)}; retrying in 1 s`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private nextRecord(): LeafRecord {
    const active = [...this.lanes.values()].map((l) => l.active).filter((d): d is Deployment => d !== undefined);
    const attention = new ActivationRecords(this.config.workDir).attention();
    return {
      leafId: this.config.leafId,
      hostname: hostname(),
      version: EXECUTOR_VERSION,
      instances: this.config.instances === "*" ? ["*"] : this.config.instances,
      status: active.length > 0 ? "busy" : "idle",
      currentDeploymentId: active[0]?.id ?? null,
      lastSeen: new Date().toISOString(),
      holder: this.lease.holder,
      pid: process.pid,
      ...(attention ? { attention } : {}),
    };
  }

  private beating: Promise<void> = Promise.resolve();

  /** One registry write at a time: each is a compare-and-set on the revision the last one made. */
  private beat(): Promise<void> {
    const next = this.beating.catch(() => undefined).then(() => this.beatOnce());
    this.beating = next;
    return next;
  }

  private async beatOnce(): Promise<void> {
    if (this.stopped) return;
    const record = this.nextRecord();
    const renewed = await this.lease.renew(record);
    if (renewed.ok) {
      this.record = record;
      return;
    }
    // Another executor took the leaf over while we could not reach the hub (its lease had run out):
    // it now holds our commands, so we must not take any more, nor write the entry.
    const error = err("E_LEASE_LOST", `leaf ${this.config.leafId} was taken over by ${renewed.holder ? describeHolder(renewed.holder) : "another executor"}; this executor (${this.lease.holder}) stops taking commands`);
    this.log(`error ${error.code}: ${error.message}`);
    this.record = undefined;
    // Not awaited: stop() waits for this very beat to end.
    void this.stop().catch(() => undefined);
    this.lostLease?.(error);
  }

  private async publisherFor(deploymentId: string, causation: string): Promise<EventPublisher> {
    const seq = await lastEventSeq(this.stores.jsm, this.config.leafId, deploymentId);
    return new EventPublisher(this.stores.js, this.config.leafId, deploymentId, seq, causation, this.log);
  }

  /**
   * Answers a command with `rejected` and keeps nothing of it: not on disk, not in the queue.
   * Only a deployment id unknown here is answered on its own subject; one that names an
   * existing deployment is answered on `_invalid`, so that a forged or replayed command cannot
   * put events into a real deployment.
   */
  private async reject(m: JsMsg, deploymentId: string, error: AlchemistError, commandId?: string): Promise<void> {
    this.log(`rejected command at stream seq ${m.seq}: ${error.code} ${error.message}`);
    const exists = this.byId.has(deploymentId) || (this.book.cached(deploymentId) ?? (await this.book.lookup(deploymentId))) !== undefined;
    const events = await this.publisherFor(exists ? UNNAMED_DEPLOYMENT : deploymentId, messageIdOf(m));
    await events.emit({ type: "rejected", reason: error.message, error, ...(commandId ? { commandId } : {}) });
    await events.drain();
    m.ack();
  }

  async handle(m: JsMsg): Promise<void> {
    if (!this.lease.trusted()) {
      // Cut off from the hub for long enough that another executor may hold this leaf now: its
      // commands are not ours to take until a heartbeat says whose the leaf is.
      this.log(`command at stream seq ${m.seq} handed back: no heartbeat reached the hub lately, so this executor may no longer hold leaf ${this.config.leafId}`);
      m.nak(1000);
      return;
    }
    const parsed = parseCommand(m.data, this.config.limits);
    // What the command names, only to say which deployment a rejection refuses.
    const named = parsed.ok ? parsed.value : parsed.error;
    // The signature comes first: nothing an unauthenticated message says is acted on.
    const signed = verifyCommandSignature(m.data, { signer: m.headers?.get(HEADER_SIGNER), signature: m.headers?.get(HEADER_SIGNATURE) }, this.config.trustedKeys);
    if (!signed.ok) return this.reject(m, named.deploymentId, signed.error, named.commandId);
    if (!parsed.ok) return this.reject(m, parsed.error.deploymentId, parsed.error.error, parsed.error.commandId);
    const c = parsed.value;
    if (c.leafId !== this.config.leafId) {
      return this.reject(m, c.deploymentId, err("E_CMD_LEAF", `the command is for leaf ${c.leafId}, this is leaf ${this.config.leafId}`), c.commandId);
    }
    switch (c.type) {
      case "deploy":
      case "rollback":
        return this.onDeploy(m, c, signed.value);
      case "cancel":
      case "confirm":
        return this.onControl(m, c);
    }
  }

  /** A command too old, or from too far ahead, to run: it may be an old signed command sent again. */
  private stale(c: Command): AlchemistError | null {
    return requestedAtProblem(c.requestedAt, Date.now(), this.config.commandMaxAgeSeconds);
  }

  private async onDeploy(m: JsMsg, c: Extract<Command, { type: "deploy" | "rollback" }>, signer: Signer): Promise<void> {
    if (this.config.instances !== "*" && !this.config.instances.includes(c.instance)) {
      const serves = this.config.instances.length > 0 ? `it serves ${this.config.instances.join(", ")}` : `it serves none: its host name ${hostname()} cannot be an instance id`;
      return this.reject(m, c.deploymentId, err("E_CMD_INSTANCE", `leaf ${this.config.leafId} does not serve instance ${c.instance}; ${serves} (an executor serves its own host unless --instances lists others)`), c.commandId);
    }
    const replayed = (s: DeploymentSummary) =>
      err("E_CMD_REPLAYED", `deployment ${c.deploymentId} exists on this leaf already (command ${s.commandId}, ${s.state}); a command for it arriving again as another message — the same signed command sent again, or a reused id — is refused: a new deployment needs a new deploymentId`);
    const held = this.byId.get(c.deploymentId);
    if (held) {
      // The same message again (JetStream redelivers it) replaces our handle; another message is a replay.
      if (held.msg.seq !== m.seq) return this.reject(m, c.deploymentId, replayed(held.summary), c.commandId);
      held.msg = m;
      return;
    }
    // A known deployment goes on only with the very message that made it (handed back after a restart).
    const known = this.book.cached(c.deploymentId);
    if (known) return this.resume(m, c, known, replayed, signer);
    // Only a new deployment is held to the window: one accepted in time keeps its place across
    // restarts. A stale command is rare, so only then is the hub asked whether it is one of those.
    const stale = this.stale(c);
    if (stale) {
      const accepted = await this.book.lookup(c.deploymentId);
      return accepted ? this.resume(m, c, accepted, replayed, signer) : this.reject(m, c.deploymentId, stale, c.commandId);
    }
    // Before anything is published, so that a hub that does not answer only hands the command back.
    const cancelled = await this.cancelledBeforeStart(c);
    const plan = await this.planOf(m, c, signer);
    if (!plan) return;
    const accepted: EventBody = { type: "accepted", instance: plan.instance, action: plan.action, designHash: plan.designHash, signer: plan.signer };
    // Almost every command not known here is new: its `accepted` goes out at once, expecting
    // to be the first event on its subject, and only when the stream says it is not (a command
    // handed back after a restart, a replay, an earlier rejected one with this id) is the hub
    // asked what the deployment is. Its summary is written once `accepted` is out.
    const events = new EventPublisher(this.stores.js, this.config.leafId, c.deploymentId, 0, messageIdOf(m), this.log, this.stores.jsm);
    if (await events.emitFirst(accepted)) return this.admit(plan, m, events, undefined, cancelled);
    const found = await this.book.lookup(c.deploymentId);
    if (found) return this.resume(m, c, found, replayed, signer);
    // Only a rejected command used this id before: a new deployment, numbered after it.
    await events.emit(accepted);
    return this.admit(plan, m, events, undefined, cancelled);
  }

  /** A deployment accepted before: only the message that made it goes on with it (after a restart); any other is a replay. */
  private async resume(
    m: JsMsg,
    c: Extract<Command, { type: "deploy" | "rollback" }>,
    known: DeploymentSummary,
    replayed: (s: DeploymentSummary) => AlchemistError,
    signer: Signer,
  ): Promise<void> {
    if (known.commandSeq !== m.seq) return this.reject(m, c.deploymentId, replayed(known), c.commandId);
    if (TERMINAL_STATES.includes(known.state)) return this.ignoreEnded(m, c.commandId, known);
    const plan = await this.planOf(m, c, signer);
    if (!plan) return;
    return this.admit(plan, m, await this.publisherFor(c.deploymentId, messageIdOf(m)), known);
  }

  /**
   * A deployment to run or resume; `known` is its summary when it was accepted before, `cancelled`
   * why it ends at once (a cancel sent before the leaf took it).
   */
  private async admit(plan: DeploymentPlan, m: JsMsg, events: EventPublisher, known: DeploymentSummary | undefined, cancelled?: string): Promise<void> {
    const d = new Deployment(plan, m, events, this.config, this.stores, (s) => this.book.record(s), this.log);
    const watched = known ? this.recovery?.adopt(d.id) : undefined;
    if (known && watched) {
      // Killed while it awaited confirmation, and its window is still open: it waits again, as long as was left.
      d.summary = known;
      d.resume(watched);
      this.byId.set(d.id, d);
      this.enqueue(d, false);
      return;
    }
    if (known && (known.state === "running" || known.state === "awaiting-confirmation")) {
      // We were killed while it ran: what it did is unknown, so it must not be reported as anything but failed.
      d.summary = known;
      this.log(`deployment ${d.id} was running when the executor stopped; marking it failed`);
      const error = err("E_EXECUTOR_RESTARTED", "executor restarted");
      return d.end("failed", { type: "failed", error }, error);
    }
    if (cancelled) return d.end("cancelled", { type: "cancelled", reason: cancelled });
    this.byId.set(d.id, d);
    if (known) {
      // Accepted before a restart and never started: it keeps its place, without a second "accepted".
      d.summary = known;
      this.enqueue(d, false);
      return;
    }
    await d.save({});
    this.enqueue(d, true);
  }

  private ignoreEnded(m: JsMsg, commandId: string, known: DeploymentSummary): void {
    this.log(`deployment ${known.deploymentId} already ended (${known.state}); its command ${commandId}, handed back again, is done with`);
    m.ack();
  }

  /**
   * Why a new deployment ends before it starts: a cancel of it that waited at its subject in the
   * command stream (names.ts, cancelBeforeStartSubject). It counts only as a cancel command
   * would: signed by a trusted key, for this very deployment on this leaf, in its time window;
   * anything else found there is logged and changes nothing.
   */
  private async cancelledBeforeStart(deploy: Command): Promise<string | undefined> {
    if (!this.cancelsReadable) return undefined;
    const subject = cancelBeforeStartSubject(this.config.leafId, deploy.deploymentId);
    const m = await this.stores.jsm.direct.getMessage(COMMANDS_STREAM, { last_by_subj: subject });
    if (!m) return undefined;
    const ignore = (why: string) => void this.log(`ignored the message at ${subject} (stream seq ${m.seq}): ${why}`);
    const signed = verifyCommandSignature(m.data, { signer: m.header?.get(HEADER_SIGNER), signature: m.header?.get(HEADER_SIGNATURE) }, this.config.trustedKeys);
    if (!signed.ok) return ignore(signed.error.message);
    const parsed = parseCommand(m.data, this.config.limits);
    if (!parsed.ok) return ignore(parsed.error.error.message);
    const c = parsed.value;
    if (c.type !== "cancel" || c.leafId !== this.config.leafId || c.deploymentId !== deploy.deploymentId) {
      return ignore(`it is a ${c.type} of ${c.deploymentId} on leaf ${c.leafId}, not a cancel of ${deploy.deploymentId} on ${this.config.leafId}`);
    }
    const stale = this.stale(c);
    if (stale) return ignore(stale.message);
    return `cancelled by ${signed.value.name} while it waited for leaf ${this.config.leafId}, before it started`;
  }

  /** Turns a deploy or rollback command into what to deploy; a rollback takes the files of an earlier success. */
  private async planOf(m: JsMsg, c: Extract<Command, { type: "deploy" | "rollback" }>, signer: Signer): Promise<DeploymentPlan | undefined> {
    const base = { deploymentId: c.deploymentId, commandId: c.commandId, instance: c.instance, action: c.action, confirm: c.confirm, signer };
    if (c.type === "deploy") {
      const problem = designHashProblem(c.files, c.designHash);
      if (problem) {
        await this.reject(m, c.deploymentId, problem, c.commandId);
        return undefined;
      }
      return { ...base, files: c.files, designHash: c.designHash, rollbackOf: null, updateInputs: c.updateInputs === true, ...(c.design ? { design: c.design } : {}) };
    }
    // Only this leaf's own deployments: its permissions read no other leaf's summaries or files.
    const target = await this.book.lookup(c.toDeploymentId);
    const problem = !target
      ? `deployment ${c.toDeploymentId} is unknown`
      : target.instance !== c.instance
        ? `deployment ${c.toDeploymentId} deployed instance ${target.instance}, not ${c.instance}`
        : target.state !== "succeeded"
          ? `deployment ${c.toDeploymentId} ended ${target.state}; only a successful deployment can be rolled back to`
          : undefined;
    const entry = problem ? null : await this.stores.flakes.get(deploymentKey(this.config.leafId, c.toDeploymentId));
    const stored = entry?.operation === "PUT" && entry.length > 0 ? parseStoredFiles(entry.string()) : null;
    const files = stored?.ok ? stored.value : undefined;
    if (problem || !files) {
      const why =
        problem ??
        (stored ? `the files of deployment ${c.toDeploymentId} in the flake store are not readable (${stored.ok ? "" : stored.reason})` : `the files of deployment ${c.toDeploymentId} are no longer in the flake store`);
      await this.reject(m, c.deploymentId, err("E_CMD_UNKNOWN_DEPLOYMENT", why), c.commandId);
      return undefined;
    }
    // A rollback deploys the pins it was deployed with: its stored flake.lock, never re-locked.
    return { ...base, files, designHash: target!.designHash, rollbackOf: c.toDeploymentId, updateInputs: false, ...(target!.design ? { design: target!.design } : {}) };
  }

  private enqueue(d: Deployment, announce: boolean): void {
    const lane = this.lanes.get(d.plan.instance) ?? { active: undefined, queue: [] };
    this.lanes.set(d.plan.instance, lane);
    if (lane.active) {
      const behind = lane.queue.at(-1)?.id ?? lane.active.id;
      lane.queue.push(d);
      if (announce) void d.events.emit({ type: "queued", behind });
      return;
    }
    this.startNext(lane, d);
  }

  private startNext(lane: Lane, d: Deployment | undefined): void {
    lane.active = d;
    void this.beat().catch(() => undefined);
    if (!d) return;
    void d
      .run()
      .catch((e) => this.log(`deployment ${d.id} ended abnormally: ${messageOf(e)}`))
      .finally(() => {
        this.byId.delete(d.id);
        if (this.stopped) return;
        this.startNext(lane, lane.queue.shift());
        this.prune();
      });
  }

  private async onControl(m: JsMsg, c: Extract<Command, { type: "cancel" | "confirm" }>): Promise<void> {
    const seenAt = this.seenCommands.get(c.commandId);
    if (seenAt !== undefined) {
      // The same message handed back (its handling failed) was dealt with; another message is a replay.
      if (seenAt === m.seq) {
        m.ack();
        return;
      }
      return this.reject(m, c.deploymentId, err("E_CMD_REPLAYED", `command ${c.commandId} (${c.type} of ${c.deploymentId}) was received before; the same command arriving again as another message is refused`), c.commandId);
    }
    const stale = this.stale(c);
    if (stale) return this.reject(m, c.deploymentId, stale, c.commandId);
    this.remember(c.commandId, m.seq);
    const d = this.byId.get(c.deploymentId);
    if (!d) {
      const known = await this.book.lookup(c.deploymentId);
      const why = known ? `deployment ${c.deploymentId} already ended (${known.state})` : `deployment ${c.deploymentId} is not known on leaf ${this.config.leafId}`;
      return this.reject(m, c.deploymentId, err("E_CMD_UNKNOWN_DEPLOYMENT", `cannot ${c.type}: ${why}`), c.commandId);
    }
    d.events.causedBy(messageIdOf(m));
    if (c.type === "confirm") {
      if (!d.confirm()) return this.reject(m, c.deploymentId, err("E_CMD_UNKNOWN_DEPLOYMENT", `cannot confirm: deployment ${c.deploymentId} is not awaiting confirmation`), c.commandId);
      m.ack();
      return;
    }
    const lane = this.lanes.get(d.plan.instance);
    const queued = lane?.queue.indexOf(d) ?? -1;
    if (lane && queued >= 0) {
      lane.queue.splice(queued, 1);
      this.byId.delete(d.id);
      await d.end("cancelled", { type: "cancelled", reason: "cancelled by a cancel command before it started" });
    } else {
      d.cancel();
    }
    m.ack();
  }

  /**
   * Keeps the newest `keepDeployments` deployment folders; never one of a deployment held
   * here (running or queued). One pass at a time, each after a deployment ends.
   */
  private prune(): void {
    this.pruning = this.pruning.then(async () => {
      const root = join(this.config.workDir, "deployments");
      const removed = await pruneDeploymentFolders(root, this.config.keepDeployments, new Set(this.byId.keys())).catch((e: unknown) => {
        this.log(`old deployment folders in ${root} could not be removed: ${messageOf(e)}`);
        return [];
      });
      if (removed.length > 0) this.log(`removed ${removed.length} old deployment folder(s), keeping the newest ${this.config.keepDeployments}: ${removed.join(", ")}`);
    });
  }

  private remember(commandId: string, seq: number): void {
    this.seenCommands.set(commandId, seq);
    if (this.seenCommands.size > 10_000) this.seenCommands.delete(this.seenCommands.keys().next().value!);
  }

  /**
   * Stops taking commands and stops the processes of running deployments without ending them:
   * their commands stay unacknowledged, so the next start reports them failed (executor
   * restarted) and goes on with the queue. Marks the leaf offline.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.stopConsumer?.();
    await this.consuming.catch(() => undefined);
    // Queued ones too: each keeps a timer telling JetStream it is still being worked on.
    await Promise.all([...this.byId.values()].map((d) => d.halt()));
    await this.pruning;
    // Offline frees the lease for another executor at once; only while we hold it.
    await this.beating.catch(() => undefined);
    if (this.record) await this.lease.renew({ ...this.record, status: "offline", lastSeen: new Date().toISOString() }).catch(() => undefined);
    this.record = undefined;
  }
}

/** Why this executor cannot read the cancels that wait for its deployments; undefined when it can. */
async function cancelsUnreadable(stores: DeployStores, leafId: string): Promise<string | undefined> {
  if ((await stores.jsm.streams.info(COMMANDS_STREAM)).config.allow_direct !== true) {
    return `the hub's ${COMMANDS_STREAM} allows no direct gets (made by an older alchemist; \`alchemist up\` or ensureDeployStores updates it)`;
  }
  try {
    await stores.jsm.direct.getMessage(COMMANDS_STREAM, { last_by_subj: cancelBeforeStartSubject(leafId, UNNAMED_DEPLOYMENT) });
    return undefined;
  } catch (e) {
    return `a direct get of ${cancelBeforeStartSubject(leafId, "*")} failed (${messageOf(e)}): the credentials of this executor or of its leaf server may predate it; \`alchemist creds --leaf-id ${leafId}\` issues them anew`;
  }
}

function messageIdOf(m: JsMsg): string {
  return m.headers?.get(HEADER_MESSAGE_ID) || `stream-seq-${m.seq}`;
}
