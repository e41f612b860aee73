import { headers, nuid } from "@nats-io/nats-core";
import { JetStreamApiError, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import {
  EVENTS_STREAM,
  HEADER_CAUSATION_ID,
  HEADER_CORRELATION_ID,
  HEADER_MESSAGE_ID,
  PROTOCOL_VERSION,
  eventSubject,
  type EventBody,
  type StepName,
} from "../core/protocol";
import { messageOf } from "../core/errors";
import type { OutputStream } from "./process";
import type { NixProgress } from "./nixLog";

/** Log lines are sent together when they come faster than this. */
const LOG_FLUSH_MS = 50;
const LOG_BATCH_BYTES = 64 * 1024;
const PROGRESS_EVERY_MS = 200;
/** JetStream's answer when an expected last subject sequence does not hold. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * The sequence number of the last event already published for a deployment (0 if none). A
 * direct get with the subject in the request's own subject: the only read of the events
 * stream a leaf may make, and only of its own subjects.
 */
export async function lastEventSeq(jsm: JetStreamManager, leafId: string, deploymentId: string): Promise<number> {
  try {
    const m = await jsm.direct.getMessage(EVENTS_STREAM, { last_by_subj: eventSubject(leafId, deploymentId) });
    const seq = (m?.json<{ seq?: unknown }>() ?? {}).seq;
    return typeof seq === "number" ? seq : 0;
  } catch {
    return 0;
  }
}

/**
 * Publishes the events of one deployment, in order, with gapless `seq` numbers, each
 * acknowledged by the events stream. A publish that fails (the hub is away) is retried until
 * it lands, so no event is lost or reordered; `Nats-Msg-Id` makes a retried one land once.
 */
export class EventPublisher {
  private chain: Promise<void> = Promise.resolve();
  /** Set for a deployment believed new: its first event must be the first on its subject. */
  private expectFirst: boolean;
  private logBuffer: { step: StepName; stream: OutputStream; lines: string[]; bytes: number } | undefined;
  private logTimer: NodeJS.Timeout | undefined;
  private readonly lastProgress = new Map<string, { at: number; pending?: NixProgress & { step: StepName } }>();
  private progressTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly js: JetStreamClient,
    readonly leafId: string,
    readonly deploymentId: string,
    private seq: number,
    private causationId: string,
    private readonly log: (line: string) => void,
    private readonly jsm?: JetStreamManager,
  ) {
    this.expectFirst = seq === 0 && jsm !== undefined;
  }

  /** Later events are caused by this message (a cancel, a confirm). */
  causedBy(messageId: string): void {
    this.causationId = messageId;
  }

  emit(body: EventBody): Promise<void> {
    this.flushLog();
    this.flushProgress();
    return this.enqueue(body);
  }

  /**
   * A deployment believed new: publishes its first event only if no event is on its subject
   * yet. False when there is one (nothing was published; later events follow the last one).
   */
  emitFirst(body: EventBody): Promise<boolean> {
    let landed = false;
    const ts = new Date().toISOString();
    const causation = this.causationId;
    this.chain = this.chain.then(async () => {
      landed = await this.publish({ ...body, ts }, causation, true);
    });
    return this.chain.then(() => landed);
  }

  private enqueue(body: EventBody): Promise<void> {
    if (this.closed) return this.chain;
    const ts = new Date().toISOString();
    const causation = this.causationId;
    // seq is given when the event's turn comes, so a renumbering after a failed expectation holds for all.
    this.chain = this.chain.then(() => this.publish({ ...body, ts }, causation).then(() => undefined));
    return this.chain;
  }

  /** True once published; false only for `onlyIfFirst` when the subject already had events. */
  private async publish(body: EventBody & { ts: string }, causation: string, onlyIfFirst = false): Promise<boolean> {
    // The id also deduplicates a publish retried after a timeout; it must not depend on seq,
    // which an earlier rejected command on the same subject may have used already.
    const messageId = nuid.next();
    const subject = eventSubject(this.leafId, this.deploymentId);
    for (let attempt = 1; ; attempt++) {
      // Fresh headers each time: publish adds its expectation headers to the object it is given.
      const h = headers();
      h.set(HEADER_MESSAGE_ID, messageId);
      h.set(HEADER_CORRELATION_ID, this.deploymentId);
      h.set(HEADER_CAUSATION_ID, causation);
      const seq = this.seq + 1;
      const data = JSON.stringify({ v: PROTOCOL_VERSION, deploymentId: this.deploymentId, leafId: this.leafId, seq, ...body });
      try {
        // A new deployment's first event goes out without first asking the stream for the
        // subject's last event: the stream itself refuses it if one is there (an earlier
        // rejected command with the same id), and only then do we look and renumber.
        const expect = this.expectFirst ? { expect: { lastSubjectSequence: 0 } } : {};
        await this.js.publish(subject, data, { headers: h, msgID: messageId, timeout: 5000, ...expect });
        this.seq = seq;
        this.expectFirst = false;
        return true;
      } catch (e) {
        if (this.expectFirst && e instanceof JetStreamApiError && e.code === WRONG_LAST_SEQUENCE) {
          this.seq = await lastEventSeq(this.jsm!, this.leafId, this.deploymentId);
          this.expectFirst = false;
          if (onlyIfFirst) return false;
          continue;
        }
        if (attempt === 1 || attempt % 10 === 0) this.log(`event ${this.deploymentId}#${seq} not published yet (${messageOf(e)}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
      }
    }
  }

  logLine(step: StepName, stream: OutputStream, line: string): void {
    const b = this.logBuffer;
    if (b && (b.step !== step || b.stream !== stream)) this.flushLog();
    const buf = (this.logBuffer ??= { step, stream, lines: [], bytes: 0 });
    buf.lines.push(line);
    buf.bytes += line.length + 1;
    if (buf.bytes >= LOG_BATCH_BYTES) this.flushLog();
    else this.logTimer ??= setTimeout(() => this.flushLog(), LOG_FLUSH_MS);
  }

  private flushLog(): void {
    clearTimeout(this.logTimer);
    this.logTimer = undefined;
    const b = this.logBuffer;
    this.logBuffer = undefined;
    if (b && b.lines.length > 0) void this.enqueue({ type: "step-log", step: b.step, stream: b.stream, line: b.lines.join("\n") });
  }

  /** Progress is sent at most every 200 ms per activity; the last figure always goes out. */
  progress(step: StepName, p: NixProgress): void {
    const key = `${step}:${p.activity}`;
    const last = this.lastProgress.get(key);
    const now = Date.now();
    if (!last || now - last.at >= PROGRESS_EVERY_MS || p.done >= p.total) {
      this.flushLog();
      this.lastProgress.set(key, { at: now });
      void this.enqueue({ type: "step-progress", step, done: p.done, total: p.total, unit: p.unit, label: p.label });
      return;
    }
    last.pending = { ...p, step };
    this.progressTimer ??= setTimeout(() => this.flushProgress(), PROGRESS_EVERY_MS);
  }

  private flushProgress(): void {
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    for (const entry of this.lastProgress.values()) {
      const p = entry.pending;
      if (!p) continue;
      entry.pending = undefined;
      entry.at = Date.now();
      this.flushLog();
      void this.enqueue({ type: "step-progress", step: p.step, done: p.done, total: p.total, unit: p.unit, label: p.label });
    }
  }

  /** Waits until every event so far has landed. */
  async drain(): Promise<void> {
    this.flushLog();
    this.flushProgress();
    await this.chain;
  }

  /** Publishes nothing more (executor shutdown); what was queued still goes out. */
  close(): void {
    clearTimeout(this.logTimer);
    clearTimeout(this.progressTimer);
    this.closed = true;
  }
}
