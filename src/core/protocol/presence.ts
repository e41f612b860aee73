import { LEAF_OFFLINE_AFTER_MS } from "./names";
import type { LeafRecord } from "./records";

/**
 * Online or offline, judged by the hub's clock only. A leaf writes `lastSeen` by its own clock,
 * which may be minutes off, and the browser has a clock of its own: comparing the two would
 * show a live leaf offline (or a dead one online). What the reader knows for sure is when the
 * hub stored the entry (the KV entry's own timestamp) and when the entry reached the reader.
 */

/** How a reader heard of a registry entry; set by the reader (the browser's client), never taken from the leaf. */
export interface Heard {
  /** When the hub stored the entry, by the hub's clock (the KV entry's timestamp). */
  storedMs: number;
  /** When it reached the reader, by the reader's clock. */
  localMs: number;
  /** Sent as it was written (a live update), not read back from the store at the start of a watch. */
  live: boolean;
  /** The hub's clock minus the reader's, as last learned from a live update (undefined before one came). */
  offsetMs?: number;
}

/** A registry entry with how it was heard of. */
export type HeardLeaf = LeafRecord & { heard?: Heard };

/**
 * What one live update tells of the hub's clock: the hub stored it a moment before it reached
 * the reader, so their difference is the hub's clock minus the reader's (plus the transit time,
 * milliseconds). An entry read back at the start of a watch tells nothing: it may be old.
 */
export function learnOffset(previous: number | undefined, storedMs: number, localMs: number, live: boolean): number | undefined {
  return live ? storedMs - localMs : previous;
}

/** The entry as the reader keeps it: with how it was heard of, replacing anything the leaf wrote there. */
export function heardFromHub(leaf: LeafRecord, heard: Heard): HeardLeaf {
  return { ...leaf, heard: { ...heard } };
}

/**
 * How long ago the hub last stored the leaf's entry, at the reader's `localNowMs`. An entry heard
 * live was stored as it arrived, so its age is time elapsed on the reader's own clock, whatever
 * that clock says; one read back at the start of a watch is aged by the hub's clock, as
 * estimated with the offset known then (the reader's clock until a live update taught one).
 */
export function hubAgeMs(heard: Heard, localNowMs: number): number {
  return heard.live ? localNowMs - heard.localMs : localNowMs + (heard.offsetMs ?? 0) - heard.storedMs;
}

export type LeafState = "idle" | "busy" | "offline";

/**
 * A leaf as shown: offline when it says so, or when the hub has not stored a heartbeat of it for
 * longer than the limit. An entry without `heard` (a reader that keeps no timestamps) falls back
 * to the leaf's own `lastSeen` against `localNowMs`.
 */
export function leafPresence(leaf: HeardLeaf, localNowMs: number): LeafState {
  if (leaf.status === "offline") return "offline";
  const age = leaf.heard ? hubAgeMs(leaf.heard, localNowMs) : localNowMs - Date.parse(leaf.lastSeen);
  return Number.isNaN(age) || age > LEAF_OFFLINE_AFTER_MS ? "offline" : leaf.status;
}
