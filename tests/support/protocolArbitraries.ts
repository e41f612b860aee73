import fc from "fast-check";
import { ERROR_CODES } from "../../src/core/errors";
import { DEPLOY_ACTIONS, STEPS, type DeployEvent, type DeploymentSummary, type EventType, type LeafRecord } from "../../src/core/protocol";
import type { Parsed } from "../../src/core/protocol/schemas";

/**
 * Random protocol traffic for the property tests of what the browser reads (src/core/protocol
 * and src/app/deploy): valid events and records of every kind, the same broken, and garbage.
 */

// Ids that are valid tokens but also names of Object.prototype's members.
export const TRICKY = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
export const token = fc.oneof(fc.constantFrom(...TRICKY), fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/));
const instance = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
export const time = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
export const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom(...TRICKY, "", "a\nb\n", "\u0000"));
const step = fc.constantFrom(...STEPS);
const error = fc.record({ code: fc.constantFrom(...(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[])), message: text });

/** The fields of each event type; `reason` of step-finished and `commandId` of rejected may be absent. */
export const BODY: { [T in EventType]: fc.Arbitrary<Record<string, unknown>> } = {
  accepted: fc.record({ instance, action: fc.constantFrom(...DEPLOY_ACTIONS), designHash: text, signer: fc.record({ key: text, name: text }) }),
  queued: fc.record({ behind: token }),
  rejected: fc.record({ reason: text, error, commandId: token }, { requiredKeys: ["reason", "error"] }),
  "step-started": fc.record({ step }),
  "step-finished": fc.record({ step, status: fc.constantFrom("ok", "failed", "skipped"), reason: text, durationMs: fc.nat() }, { requiredKeys: ["step", "status", "durationMs"] }),
  "step-log": fc.record({ step, stream: fc.constantFrom("stdout", "stderr"), line: text }),
  "step-progress": fc.record({ step, done: fc.nat(), total: fc.nat(), unit: text, label: text }),
  "unit-status": fc.record({ unit: text, nodeId: fc.oneof(text, fc.constantFrom("host", "nats")), active: fc.boolean(), state: text }),
  "awaiting-confirmation": fc.record({ reason: text, deadline: time }),
  confirmed: fc.record({ reason: text }),
  "rolled-back": fc.record({ reason: text }),
  succeeded: fc.constant({}),
  failed: fc.record({ error }),
  cancelled: fc.record({ reason: text }),
};
const OPTIONAL = new Set(["reason@step-finished", "commandId@rejected"]);
export const body = fc.constantFrom(...(Object.keys(BODY) as EventType[])).chain((type) => BODY[type].map((b) => ({ type, ...b })));

/** Fields a newer executor might add (or a hostile one): kept, never a reason to drop. */
export const extras = fc.dictionary(fc.oneof(fc.constantFrom("signer", "__proto__", "constructor"), fc.string()), fc.jsonValue(), { maxKeys: 3 });

/** An event's JSON text, extra fields written in as JSON does (so "__proto__" is a plain key). */
export const textOf = (e: object, extra: Record<string, unknown> = {}): string => {
  const own = JSON.stringify(e);
  const more = Object.entries(extra)
    .filter(([k]) => !(k in e))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return more.length === 0 ? own : `${own.slice(0, -1)}${own === "{}" ? "" : ","}${more.join(",")}}`;
};

export const validEvents = (deploymentId: string, leafId: string) =>
  fc.array(fc.record({ body, ts: time, extra: extras }), { minLength: 1, maxLength: 40 }).map((list) =>
    list.map(({ body, ts, extra }, i) => {
      const event = { v: 1, deploymentId, leafId, seq: i + 1, ts, ...body } as DeployEvent;
      return { event, text: textOf(event, extra) };
    }),
  );

/** Something wrong with an event, each always fatal: a required field gone or of the wrong kind, an unknown type or version, cut short. */
export const breakEvent = (e: DeployEvent) => {
  const required = Object.keys(e).filter((k) => !OPTIONAL.has(`${k}@${e.type}`));
  return fc.oneof(
    fc.constantFrom(...required).map((k) => {
      const { [k]: _gone, ...rest } = e as unknown as Record<string, unknown>;
      return JSON.stringify(rest);
    }),
    fc.tuple(fc.constantFrom(...required), fc.constantFrom(null, [], {}, [1])).map(([k, v]) => JSON.stringify({ ...e, [k]: v })),
    fc.string({ minLength: 1 }).filter((t) => !(t in BODY)).map((type) => JSON.stringify({ ...e, type })),
    fc.constantFrom(0, 2, "1", null).map((v) => JSON.stringify({ ...e, v })),
    fc.constantFrom(0, -1, 1.5, "3", Number.MAX_SAFE_INTEGER + 2).map((seq) => JSON.stringify({ ...e, seq })),
    fc.constantFrom("", "yesterday", "2026-13-45T99:00:00Z").map((ts) => JSON.stringify({ ...e, ts })),
    fc.nat().map((n) => {
      const t = JSON.stringify(e);
      return t.slice(0, n % t.length);
    }),
  );
};

export const garbage = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
  fc.string(),
  fc.constantFrom("null", "[]", "{}", "true", "0", '"x"', "{", '{"__proto__":{"v":1}}', '{"v":1,"type":"failed"}', '{"v":1,"type":"step-log"}'),
);

export const leafRecord = (leafId: fc.Arbitrary<string> = token): fc.Arbitrary<LeafRecord> =>
  fc.record({
    leafId,
    hostname: text,
    version: text,
    instances: fc.array(fc.oneof(instance, fc.constant("*"), text), { maxLength: 4 }),
    status: fc.constantFrom("idle", "busy", "offline"),
    currentDeploymentId: fc.option(token, { nil: null }),
    lastSeen: time,
  });

export const summary = (deploymentId: fc.Arbitrary<string> = token): fc.Arbitrary<DeploymentSummary> =>
  fc.record({
    deploymentId,
    commandId: token,
    leafId: token,
    instance: fc.oneof(instance, fc.constantFrom("cim-minimal")),
    action: fc.constantFrom(...DEPLOY_ACTIONS),
    designHash: text,
    state: fc.constantFrom("queued", "running", "awaiting-confirmation", "succeeded", "failed", "cancelled"),
    step: fc.option(step, { nil: null }),
    signer: fc.record({ key: text, name: text }),
    commandSeq: fc.nat(),
    rollbackOf: fc.option(token, { nil: null }),
    acceptedAt: time,
    startedAt: fc.option(time, { nil: null }),
    finishedAt: fc.option(time, { nil: null }),
    error: fc.option(error, { nil: null }),
  });

/** A record broken in one field: gone, or of a kind no reader expects. */
export const breakRecord = (r: object) =>
  fc.oneof(
    fc.constantFrom(...Object.keys(r)).map((k) => {
      const { [k]: _gone, ...rest } = r as Record<string, unknown>;
      return JSON.stringify(rest);
    }),
    fc.tuple(fc.constantFrom(...Object.keys(r)), fc.constantFrom({}, 1.5, true)).map(([k, v]) => JSON.stringify({ ...r, [k]: v })),
  );

/**
 * A bucket as the browser's client keeps it from a watch: each entry parsed, a bad one taking
 * its key's place; every entry marked valid must pass.
 */
export function readBucket<T>(entries: readonly { key: string; text: string; valid: boolean }[], parse: (key: string, text: string) => Parsed<T>): Map<string, T> {
  const all = new Map<string, T>();
  for (const e of entries) {
    const p = parse(e.key, e.text);
    if (e.valid && !p.ok) throw new Error(`a valid entry ${e.key} was refused: ${p.reason}`);
    if (p.ok) all.set(e.key, p.value);
    else all.delete(e.key);
  }
  return all;
}
