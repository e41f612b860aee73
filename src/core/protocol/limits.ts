import { err, fail, ok, type AlchemistError, type Result } from "../errors";
import { COMMANDS_STREAM, DEPLOYMENTS_BUCKET, DESIGNS_BUCKET, EVENTS_STREAM, FLAKES_BUCKET, LEAVES_BUCKET } from "./names";

/**
 * How much each stream and bucket of the deploy protocol may hold on the hub. Every store has
 * an age and a size limit, so nothing grows without bound: a command for a leaf that never
 * comes expires, old logs go, and a leaf that has been silent for long leaves the registry.
 * docs/protocol.md gives the reasons for each default.
 */
export const STORE_NAMES = ["commands", "events", "leaves", "deployments", "flakes", "designs"] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/** The JetStream stream behind each store (a KV bucket `b` is the stream `KV_b`). */
export const STORE_STREAMS: Readonly<Record<StoreName, string>> = {
  commands: COMMANDS_STREAM,
  events: EVENTS_STREAM,
  leaves: `KV_${LEAVES_BUCKET}`,
  deployments: `KV_${DEPLOYMENTS_BUCKET}`,
  flakes: `KV_${FLAKES_BUCKET}`,
  designs: `KV_${DESIGNS_BUCKET}`,
};

/** The stores an executor works with; people's designs are none of a leaf's business. */
export const EXECUTOR_STORES: readonly StoreName[] = ["commands", "events", "leaves", "deployments", "flakes"];

export interface StoreLimit {
  /** Seconds a message (a KV entry's latest value included) is kept after it was written. */
  maxAgeS: number;
  maxBytes: number;
}

export type StoreLimits = Record<StoreName, StoreLimit>;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const HOUR = 3600;
const DAY = 24 * HOUR;

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  // A command waits at most a day for its leaf; a queued deployment is held by its executor.
  commands: { maxAgeS: DAY, maxBytes: 256 * MiB },
  events: { maxAgeS: 30 * DAY, maxBytes: 1 * GiB },
  // Live leaves rewrite their entry every 5 s; one silent for 30 days drops out.
  leaves: { maxAgeS: 30 * DAY, maxBytes: 16 * MiB },
  // Summaries and files are the History and the rollback targets: kept a year.
  deployments: { maxAgeS: 365 * DAY, maxBytes: 64 * MiB },
  flakes: { maxAgeS: 365 * DAY, maxBytes: 1 * GiB },
  // A design is work people come back to: kept ten years after its last save, and a full
  // bucket refuses saves (E_STORE_FULL) rather than let the oldest designs go.
  designs: { maxAgeS: 3650 * DAY, maxBytes: 1 * GiB },
};

/** The largest revision of a design the hub takes (the hub's max_payload is 8 MB): many times a 5 000-node design. */
export const DESIGN_MAX_BYTES = 8 * MiB;

/** Where `alchemist up` and operator tooling take limits from (a flag `--store-limits` wins). */
export const STORE_LIMITS_ENV = "ALCHEMIST_STORE_LIMITS";

const AGE_UNITS: Record<string, number> = { s: 1, m: 60, h: HOUR, d: DAY };
const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, kib: 1024, mib: MiB, gib: GiB, tib: 1024 * GiB };
/** Below these a store would refuse ordinary use (one deployment's files, one day's commands). */
const MIN_AGE_S = 60;
const MIN_BYTES = MiB;

/**
 * Parses `events.age=7d,flakes.bytes=2GiB,…` over the defaults: `<store>.age=<n>(s|m|h|d)`,
 * `<store>.bytes=<n>[B|KiB|MiB|GiB|TiB]`. There is no "unlimited": every store stays bounded.
 */
export function parseStoreLimits(text: string | undefined, source: string, base: StoreLimits = DEFAULT_STORE_LIMITS): Result<StoreLimits> {
  const out = Object.fromEntries(STORE_NAMES.map((s) => [s, { ...base[s] }])) as StoreLimits;
  for (const part of (text ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\.(age|bytes)=(\d+)([A-Za-z]*)$/.exec(part);
    const store = m?.[1] as StoreName | undefined;
    if (!m || !store || !(STORE_NAMES as readonly string[]).includes(store)) {
      return fail(err("E_USAGE", `${source}: "${part}" must be <store>.age=<n>(s|m|h|d) or <store>.bytes=<n>(MiB|GiB…) with a store of ${STORE_NAMES.join(", ")}`));
    }
    const units = m[2] === "age" ? AGE_UNITS : SIZE_UNITS;
    const unit = units[m[4]!.toLowerCase()];
    if (unit === undefined) return fail(err("E_USAGE", `${source}: "${part}" has an unknown unit "${m[4]}" (use ${Object.keys(units).filter(Boolean).join(", ")})`));
    const value = Number(m[3]) * unit;
    if (m[2] === "age") {
      if (value < MIN_AGE_S) return fail(err("E_USAGE", `${source}: "${part}" is shorter than ${MIN_AGE_S} s`));
      out[store].maxAgeS = value;
    } else {
      if (value < MIN_BYTES) return fail(err("E_USAGE", `${source}: "${part}" is smaller than 1 MiB`));
      out[store].maxBytes = value;
    }
  }
  return ok(out);
}

/** An age limit in words, in the largest unit it is a whole number of: "1 day", "36 h", "90 min", "45 s". */
export function ageText(seconds: number): string {
  if (seconds >= DAY && seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? "" : "s"}`;
  if (seconds >= HOUR && seconds % HOUR === 0) return `${seconds / HOUR} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * JetStream's codes for a write a store refuses because a limit is reached: the store is full
 * (`maximum bytes exceeded`, `maximum messages exceeded`: JSStreamStoreFailedF), the message is
 * over the store's largest (JSStreamMessageExceedsMaximumErr), or the account's or server's
 * JetStream storage is used up (JSInsufficientResourcesErr).
 */
export const STORE_REFUSAL_CODES: readonly number[] = [10077, 10054, 10028];

/**
 * What a person is told when a store refuses `what` (e.g. "command c-1"): E_STORE_FULL naming
 * the store, the limit and how to raise it, when `e` is a JetStream API error (its `code` is
 * JetStream's number, its message the description) with one of STORE_REFUSAL_CODES; undefined
 * for anything else.
 */
export function storeRefusal(stream: string, e: unknown, what: string): AlchemistError | undefined {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  if (typeof code !== "number" || !STORE_REFUSAL_CODES.includes(code)) return undefined;
  const store = STORE_NAMES.find((s) => STORE_STREAMS[s] === stream);
  const knob = store ? ` (\`--store-limits ${store}.bytes=…\` or ${STORE_LIMITS_ENV} of the tool that makes the stores, e.g. \`alchemist up\`)` : "";
  const why = code === 10054 ? `it is larger than the largest message ${stream} takes` : code === 10028 ? "the hub's JetStream storage is used up" : `${stream} is full`;
  const fix = store === "commands" ? "; commands wait there until their leaf takes them, so a leaf that does not come back fills it until they expire" : "";
  return err("E_STORE_FULL", `the hub refused ${what}: ${why} (${(e as Error).message}); nothing of it was kept. An admin raises the limit${knob}${fix}`);
}
