import type { NatsConnection } from "@nats-io/nats-core";
import { JetStreamApiCodes, JetStreamApiError, jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { Kvm, KvWatchInclude, type KV, type KvEntry } from "@nats-io/kv";
import { AlchemistFailure, err, messageOf } from "../core/errors";
import type { Design } from "../core/design/types";
import { DESIGNS_BUCKET, DESIGN_MAX_BYTES, STORE_STREAMS, storeRefusal, type CommandSigner } from "../core/protocol";
import { decodeDesignSave, encodeDesignSave, isDesignKey, type DesignRevision } from "../core/protocol/designRecord";
import type { Stop } from "./deployClient";

/** What a save came to: written as `revision`, or refused because `theirs` was saved in between. */
export type SaveResult = { ok: true; revision: number } | { ok: false; theirs: DesignRevision };

/** The name a save is made under when the login has none (a token). */
export const UNNAMED_LOGIN = "unnamed login";

const isWrongLastSequence = (e: unknown) =>
  e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamWrongLastSequence || e.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

/**
 * The team's designs in the hub's `cim_designs` bucket, over any NATS connection (the browser's
 * WebSocket, the CLI's TCP). A save is a compare-and-set on the revision it was made on, so two
 * people saving one design never overwrite each other: the second hears of the first's save.
 * Revisions that do not read as saves (anyone who may save may write any bytes) are left out of
 * every answer and said with `onProblem`.
 */
export class DesignStore {
  private readonly js: JetStreamClient;
  private kv: Promise<KV> | undefined;

  constructor(
    nc: NatsConnection,
    domain = "hub",
    private readonly signer?: CommandSigner,
    private readonly identity: string = UNNAMED_LOGIN,
    private readonly onProblem: (reason: string) => void = (r) => console.warn(r),
  ) {
    this.js = jetstream(nc, { domain });
  }

  private bucket(): Promise<KV> {
    // Bound, not looked up: reads are direct gets naming the key, as the person's permissions allow.
    this.kv ??= new Kvm(this.js).open(DESIGNS_BUCKET, { allow_direct: true }).catch((e: unknown) => {
      this.kv = undefined;
      throw e;
    });
    return this.kv;
  }

  private decoded(e: KvEntry | null): DesignRevision | null {
    if (!e || e.operation !== "PUT" || !isDesignKey(e.key)) return null;
    const r = decodeDesignSave(e.key, e.revision, e.value);
    if (!r.ok) this.onProblem(r.error.message);
    return r.ok ? r.value : null;
  }

  private static key(designId: string): string {
    if (!isDesignKey(designId)) throw new AlchemistFailure(err("E_DESIGN_KEY", `design id ${JSON.stringify(designId.slice(0, 80))} cannot be a key on the hub: use letters, digits, _ and - only`));
    return designId;
  }

  /** The latest revision of every design on the hub (deleted ones and unreadable ones left out). */
  async list(): Promise<DesignRevision[]> {
    const kv = await this.bucket();
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    const latest = await Promise.all(keys.filter(isDesignKey).map(async (k) => this.decoded(await kv.get(k))));
    return latest.filter((r): r is DesignRevision => r !== null);
  }

  /** The latest revision of a design; null when the hub has none (or only a deletion, or an unreadable one). */
  async get(designId: string): Promise<DesignRevision | null> {
    return this.decoded(await (await this.bucket()).get(DesignStore.key(designId)));
  }

  /** One revision of a design, if the bucket still keeps it. */
  async revision(designId: string, revision: number): Promise<DesignRevision | null> {
    const e = await (await this.bucket()).get(DesignStore.key(designId), { revision });
    // A revision number is a stream sequence: another design's entry may sit at it.
    return e?.key === designId ? this.decoded(e) : null;
  }

  /** Every revision of a design the bucket keeps, oldest first. */
  async history(designId: string): Promise<DesignRevision[]> {
    const out: DesignRevision[] = [];
    for await (const e of await (await this.bucket()).history({ key: DesignStore.key(designId) })) {
      const r = this.decoded(e);
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * Saves `design` as made on hub revision `basedOn` (0: new to the hub). When the design's
   * latest revision is another, nothing is written and that revision comes back as `theirs`.
   * A design deleted on the hub meanwhile is saved again (nobody's work is lost by that).
   */
  async save(designId: string, design: Design, basedOn: number, note?: string): Promise<SaveResult> {
    const key = DesignStore.key(designId);
    const kv = await this.bucket();
    const bytes = encodeDesignSave({ designId: key, design, savedBy: { name: this.identity }, savedAt: new Date().toISOString(), basedOn, ...(note ? { note } : {}) }, this.signer);
    if (bytes.length > DESIGN_MAX_BYTES) {
      throw new AlchemistFailure(err("E_DESIGN_TOO_LARGE", `design "${design.name}" is ${bytes.length} bytes as saved; the hub takes at most ${DESIGN_MAX_BYTES} in one revision. It stays in this browser; export it to keep a copy`));
    }
    const write = (previous: number) => (previous === 0 ? kv.create(key, bytes) : kv.update(key, bytes, previous));
    try {
      return { ok: true, revision: await write(basedOn) };
    } catch (e) {
      if (!isWrongLastSequence(e)) throw this.refused(e, design.name);
      const latest = await kv.get(key);
      if (latest && latest.operation !== "PUT") return this.save(designId, design, latest.revision, note);
      const theirs = this.decoded(latest);
      // An unreadable latest revision is nobody's work: it is written over, from the revision it is.
      if (!theirs && latest) return { ok: true, revision: await write(latest.revision).catch((e2: unknown) => Promise.reject(this.refused(e2, design.name))) };
      if (!theirs) throw e;
      return { ok: false, theirs };
    }
  }

  private refused(e: unknown, name: string): unknown {
    const refusal = storeRefusal(STORE_STREAMS.designs, e, `the save of design "${name}"`);
    return refusal ? new AlchemistFailure(refusal) : e;
  }

  /** Takes a design off the hub's list; its revisions stay until they age out (only an admin purges). */
  async remove(designId: string): Promise<void> {
    await (await this.bucket()).delete(DesignStore.key(designId));
  }

  /**
   * Saves as they reach the hub (everyone's, this store's own included), of one design or all;
   * `onRemoved` hears of deletions. The watch resumes by itself after a reconnection.
   */
  watch(onRevision: (r: DesignRevision) => void, designId?: string, onRemoved: (designId: string) => void = () => undefined): Stop {
    let stopped = false;
    let stop: Stop | undefined;
    void (async () => {
      const watch = await (await this.bucket()).watch({ key: designId === undefined ? ">" : DesignStore.key(designId), include: KvWatchInclude.UpdatesOnly });
      if (stopped) return watch.stop();
      stop = () => watch.stop();
      for await (const e of watch) {
        if (e.operation !== "PUT") onRemoved(e.key);
        else {
          const r = this.decoded(e);
          if (r) onRevision(r);
        }
      }
    })().catch((e: unknown) => this.onProblem(`watching ${DESIGNS_BUCKET}: ${messageOf(e)}`));
    return () => {
      stopped = true;
      stop?.();
    };
  }
}
