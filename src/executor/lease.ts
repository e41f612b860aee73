import { performance } from "node:perf_hooks";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import type { KV, KvEntry } from "@nats-io/kv";
import { AlchemistFailure, err } from "../core/errors";
import { HEARTBEAT_INTERVAL_MS, LEAF_OFFLINE_AFTER_MS, type LeafRecord } from "../core/protocol";

/**
 * How long a holder's registry entry may stay unchanged before another executor takes the
 * lease: three missed heartbeats, the time after which the browser shows the leaf offline.
 */
export const LEASE_TTL_MS = LEAF_OFFLINE_AFTER_MS;

/**
 * How long after its last write the hub confirmed this executor still trusts its lease: a
 * newcomer takes over only after LEASE_TTL_MS of standstill counted from when it saw that write,
 * which the hub stored after it was sent, so a margin of one heartbeat is left.
 */
export const LEASE_TRUSTED_MS = LEASE_TTL_MS - HEARTBEAT_INTERVAL_MS;

/** What a stranger's entry looked like when first seen, by this process's monotonic clock. */
interface Sighting {
  revision: number;
  since: number;
}

const isWrongRevision = (e: unknown) =>
  e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamWrongLastSequence || e.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

function recordOf(e: KvEntry | null): LeafRecord | undefined {
  if (!e || e.operation !== "PUT" || e.length === 0) return undefined;
  try {
    return e.json<LeafRecord>();
  } catch {
    return undefined;
  }
}

export const describeHolder = (r: LeafRecord): string => `${r.holder ?? `an executor of version ${r.version}`} (host ${r.hostname}${r.pid ? `, pid ${r.pid}` : ""}, last seen ${r.lastSeen} by its own clock)`;

/**
 * One executor per leaf id: the leaf's `cim_leaves` entry is its lease. Every write of it is a
 * compare-and-set on the revision this process last wrote, so two executors can never both
 * think they hold it. The entry is free when there is none, when it says `offline` (a clean
 * stop), when it names this holder (the same host and work folder, started again after a
 * crash), or when another holder has not rewritten it for LEASE_TTL_MS — judged by this
 * process watching the entry's revision stand still on its own monotonic clock, so neither
 * clock's setting matters (nats-server 2.9 has no per-message TTL to let the hub expire it).
 */
export class LeafLease {
  private revision = 0;
  private sighting: Sighting | undefined;
  /** When the last write the hub confirmed was sent, by the monotonic clock. */
  private confirmedSentAt = -Infinity;

  constructor(
    private readonly kv: KV,
    private readonly leafId: string,
    readonly holder: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes the lease and writes `record`, or throws E_LEASE_HELD naming the holder. Called again, it goes on watching. */
  async acquire(record: LeafRecord): Promise<void> {
    const entry = await this.kv.get(this.leafId);
    const have = recordOf(entry);
    if (entry && have && have.status !== "offline" && have.holder !== this.holder) {
      const seen = this.sighting?.revision === entry.revision ? this.sighting : { revision: entry.revision, since: this.now() };
      this.sighting = seen;
      const stillFor = this.now() - seen.since;
      if (stillFor < LEASE_TTL_MS) {
        throw new AlchemistFailure(
          err(
            "E_LEASE_HELD",
            `leaf ${this.leafId} is held by ${describeHolder(have)}; this executor (${this.holder}) takes no commands while it does, and takes over once that one stops (a clean stop) or its entry in cim_leaves stands still for ${LEASE_TTL_MS / 1000} s (seen still for ${Math.floor(stillFor / 1000)} s)`,
          ),
        );
      }
    }
    const sentAt = this.now();
    try {
      this.revision = entry ? await this.kv.update(this.leafId, JSON.stringify(record), entry.revision) : await this.kv.create(this.leafId, JSON.stringify(record));
      this.confirmedSentAt = sentAt;
    } catch (e) {
      // Someone wrote it between our read and our write: look again at the next try.
      if (isWrongRevision(e)) throw new AlchemistFailure(err("E_LEASE_HELD", `leaf ${this.leafId}'s entry in cim_leaves changed while this executor (${this.holder}) was taking the lease; trying again`));
      throw e;
    }
    this.sighting = undefined;
  }

  /**
   * Writes `record` if this process still holds the lease. A write whose answer was lost may
   * have landed: an entry naming this holder is ours still, and so is one that names no holder.
   * Returns the holder that took it otherwise.
   */
  async renew(record: LeafRecord): Promise<{ ok: true } | { ok: false; holder: LeafRecord | undefined }> {
    const sentAt = this.now();
    try {
      this.revision = await this.kv.update(this.leafId, JSON.stringify(record), this.revision);
      this.confirmedSentAt = sentAt;
      return { ok: true };
    } catch (e) {
      if (!isWrongRevision(e)) throw e;
    }
    const entry = await this.kv.get(this.leafId);
    const have = recordOf(entry);
    // Lost only to another executor that names itself; an entry overwritten with anything else
    // (garbage, a null, a record of an executor before the lease) is ours to write again.
    if (have?.holder !== undefined && have.holder !== this.holder) return { ok: false, holder: have };
    this.revision = entry ? await this.kv.update(this.leafId, JSON.stringify(record), entry.revision) : await this.kv.create(this.leafId, JSON.stringify(record));
    this.confirmedSentAt = sentAt;
    return { ok: true };
  }

  /**
   * Whether no other executor can have taken the leaf yet: the hub confirmed a write of ours sent
   * less than LEASE_TRUSTED_MS ago. After a long cut-off it is false until the next write tells.
   */
  trusted(): boolean {
    return this.now() - this.confirmedSentAt < LEASE_TRUSTED_MS;
  }
}
