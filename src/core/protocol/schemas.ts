import { z } from "zod";
import { deploymentKey } from "./layout";
import type { AlchemistError } from "../errors";
import { isRecord } from "../objects";
import { DEPLOY_ACTIONS, INSTANCE_PATTERN } from "./commands";
import { STEPS, type DeployEvent, type EventType } from "./events";
import { PROTOCOL_VERSION, TOKEN_PATTERN, eventSubject } from "./names";
import type { DeploymentSummary, LeafRecord } from "./records";

/**
 * What the browser (and anyone else reading the hub) accepts as an event or a registry record.
 * Anything on the hub may have been written by any leaf, an older or newer executor, or a bug:
 * every field the app reads is checked here, so that what passes can be folded and rendered
 * without a throw. Objects are loose: a field this version does not know (a newer executor's)
 * is kept, not refused, because refusing it would drop valid events of a newer leaf.
 */

// Zod compiles a fast parser with `new Function` when it can, and tries it to find out: under the
// web app's Content-Security-Policy (no eval) that try is a reported violation. The plain parser is fast enough here.
z.config({ jitless: true });

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const token = z.string().regex(TOKEN_PATTERN, "must be 1–128 letters, digits, - or _");
/** A time the app parses (durations, countdowns, heartbeat age): it must be one Date.parse reads. */
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 time");
const count = z.number().finite();
const step = z.enum(STEPS);
const instance = z.string().regex(INSTANCE_PATTERN, "must match [a-z][a-z0-9-]*");
/**
 * An error as the app shows it. The code is any E_/W_ name rather than only those this version
 * knows, so a newer executor's codes still show; its type says ErrorCode because that is what
 * the app's AlchemistError carries, and it is only ever displayed.
 */
const error = z.looseObject({ code: z.string().regex(/^[EW]_[A-Z0-9_]+$/, "must be an error code such as E_STEP_FAILED"), message: z.string() }) as z.ZodType<AlchemistError>;

/** Who signed the command (the History shows it): shown, never trusted for anything here. */
const signer = z.looseObject({ key: z.string(), name: z.string() });

const envelope = z.looseObject({
  v: z.literal(PROTOCOL_VERSION),
  deploymentId: token,
  leafId: token,
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ts: time,
});

const reason = z.string();

/** An event schema: the envelope and one type's own fields. */
const body = <T extends EventType, S extends z.ZodRawShape>(type: T, shape: S) => envelope.extend({ type: z.literal(type), ...shape });

/** Each event type's own fields; typed per type, so a required field a type gains without its check here does not compile. */
const EVENT_SCHEMAS: { [T in EventType]: z.ZodType<Extract<DeployEvent, { type: T }>> } = {
  accepted: body("accepted", { instance, action: z.enum(DEPLOY_ACTIONS), designHash: z.string(), signer }),
  queued: body("queued", { behind: token }),
  rejected: body("rejected", { reason, error, commandId: token.optional() }),
  "step-started": body("step-started", { step }),
  "step-finished": body("step-finished", { step, status: z.enum(["ok", "failed", "skipped"]), reason: reason.optional(), durationMs: count.min(0) }),
  "step-log": body("step-log", { step, stream: z.enum(["stdout", "stderr"]), line: z.string() }),
  "step-progress": body("step-progress", { step, done: count, total: count, unit: z.string(), label: z.string() }),
  "unit-status": body("unit-status", { unit: z.string(), nodeId: z.string(), active: z.boolean(), state: z.string() }),
  "awaiting-confirmation": body("awaiting-confirmation", { reason, deadline: time }),
  confirmed: body("confirmed", { reason }),
  "rolled-back": body("rolled-back", { reason }),
  succeeded: body("succeeded", {}),
  failed: body("failed", { error }),
  cancelled: body("cancelled", { reason }),
};

const eventType = z.enum(Object.keys(EVENT_SCHEMAS) as [EventType, ...EventType[]]);
/** Made once: a schema made per event costs more than checking it (a follower reads 20 events a second). */
const eventHead = envelope.extend({ type: eventType });

/** The first few things wrong, each with where: enough to find the culprit in a warning line. */
function reasonOf(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "the value"} ${i.message.replace(/^Invalid input: /, "")}`)
    .join("; ");
}

function check<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: reasonOf(r.error) };
}

function json(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: "not JSON" };
  }
}

/** An event already read from JSON: the envelope, then the fields of its type. */
export function validateEvent(raw: unknown): Parsed<DeployEvent> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, reason: "not an object" };
  const head = eventHead.safeParse(raw);
  if (!head.success) return { ok: false, reason: reasonOf(head.error) };
  const r = check<DeployEvent>(EVENT_SCHEMAS[head.data.type], raw);
  return r.ok ? r : { ok: false, reason: `${head.data.type} event #${head.data.seq}: ${r.reason}` };
}

/** Reads an event off the wire (the browser does, from JetStream). Never throws. */
export function parseEvent(text: string): Parsed<DeployEvent> {
  const raw = json(text);
  return raw.ok ? validateEvent(raw.value) : raw;
}

/**
 * An event as a follower of one deployment receives it: valid, of that deployment, and
 * published on its own leaf's subject. The subject is what the hub's permissions vouch for
 * (leaf L may publish only `cim.deploy.events.L.>`), so an event claiming another leaf in its
 * body, or sent for another deployment, is someone else's and is dropped.
 */
export function parseEventMessage(subject: string, text: string, deploymentId: string): Parsed<DeployEvent> {
  const parsed = parseEvent(text);
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  if (e.deploymentId !== deploymentId) return { ok: false, reason: `it belongs to deployment ${e.deploymentId}, not ${deploymentId}` };
  if (subject !== eventSubject(e.leafId, e.deploymentId)) return { ok: false, reason: `it says leaf ${e.leafId} but was published on ${subject}` };
  return parsed;
}

/**
 * The files of a deployment as `cim_flakes` holds them: one JSON object of path → text. Checked
 * by hand rather than with z.record, which leaves out a "__proto__" key: a file must not vanish
 * from the review's diff without a word.
 */
export function parseStoredFiles(text: string): Parsed<Record<string, string>> {
  const raw = json(text);
  if (!raw.ok) return raw;
  if (!isRecord(raw.value)) return { ok: false, reason: "not an object of path → text" };
  const bad = Object.entries(raw.value).find(([, t]) => typeof t !== "string");
  return bad ? { ok: false, reason: `${JSON.stringify(bad[0])} is not text` } : { ok: true, value: raw.value as Record<string, string> };
}

const leafRecord: z.ZodType<LeafRecord> = z.looseObject({
  leafId: token,
  hostname: z.string(),
  version: z.string(),
  instances: z.array(z.string()),
  status: z.enum(["idle", "busy", "offline"]),
  currentDeploymentId: token.nullable(),
  lastSeen: time,
  attention: z.object({ deploymentId: token, reason: z.string() }).optional(),
});

const deploymentSummary: z.ZodType<DeploymentSummary> = z.looseObject({
  deploymentId: token,
  commandId: token,
  leafId: token,
  instance,
  action: z.enum(DEPLOY_ACTIONS),
  designHash: z.string(),
  state: z.enum(["queued", "running", "awaiting-confirmation", "succeeded", "failed", "cancelled"]),
  step: step.nullable(),
  signer,
  commandSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  rollbackOf: token.nullable(),
  design: z.object({ id: token, revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).optional(),
  acceptedAt: time,
  startedAt: time.nullable(),
  finishedAt: time.nullable(),
  error: error.nullable(),
});

/**
 * A `cim_leaves` entry. Its key must be the leaf's own id: the hub lets leaf L write only the
 * key L, so a record naming another leaf under L's key is L speaking for someone else.
 */
export function parseLeafRecord(key: string, text: string): Parsed<LeafRecord> {
  const raw = json(text);
  if (!raw.ok) return raw;
  const r = check(leafRecord, raw.value);
  if (r.ok && r.value.leafId !== key) return { ok: false, reason: `it names leaf ${r.value.leafId}, not its key ${key}` };
  return r;
}

/**
 * A `cim_deployments` entry. Its key is `<leafId>.<deploymentId>` (each leaf writes only keys
 * under its own id) or, as buckets written before that layout hold, `<deploymentId>`; either
 * way the key must be the record's own ids, so one leaf cannot file a summary as another's.
 */
export function parseDeploymentSummary(key: string, text: string): Parsed<DeploymentSummary> {
  const raw = json(text);
  if (!raw.ok) return raw;
  const r = check(deploymentSummary, raw.value);
  // Only leaf L may write under `L.`: the key, not the body, says whose a summary is.
  if (r.ok && key !== deploymentKey(r.value.leafId, r.value.deploymentId)) {
    return { ok: false, reason: `it is the summary of ${deploymentKey(r.value.leafId, r.value.deploymentId)}, not of its key ${key}` };
  }
  return r;
}
