import type { AlchemistError } from "../errors";
import type { DeployAction } from "./commands";
import { PROTOCOL_VERSION, isSubjectToken } from "./names";
import type { Signer } from "./signing";

export const STEPS = ["prepare", "check", "evaluate", "build", "activate", "health", "confirm"] as const;
export type StepName = (typeof STEPS)[number];

export type StepStatus = "ok" | "failed" | "skipped";

interface EventBase {
  v: 1;
  deploymentId: string;
  leafId: string;
  /** 1, 2, 3 … per deployment, without gaps: a reader can tell whether it missed one. */
  seq: number;
  ts: string;
}

export type EventBody =
  /** `signer`: whose signed command this deployment is. */
  | { type: "accepted"; instance: string; action: DeployAction; designHash: string; signer: Signer }
  | { type: "queued"; behind: string }
  /** A command that was not carried out; `commandId` when the command named a usable one. */
  | { type: "rejected"; reason: string; error: AlchemistError; commandId?: string }
  | { type: "step-started"; step: StepName }
  | { type: "step-finished"; step: StepName; status: StepStatus; reason?: string; durationMs: number }
  /** `line` holds one line, or several joined by "\n" when output comes fast. */
  | { type: "step-log"; step: StepName; stream: "stdout" | "stderr"; line: string }
  | { type: "step-progress"; step: StepName; done: number; total: number; unit: string; label: string }
  | { type: "unit-status"; unit: string; nodeId: string; active: boolean; state: string }
  | { type: "awaiting-confirmation"; reason: string; deadline: string }
  | { type: "confirmed"; reason: string }
  | { type: "rolled-back"; reason: string }
  | { type: "succeeded" }
  | { type: "failed"; error: AlchemistError }
  | { type: "cancelled"; reason: string };

export type DeployEvent = EventBase & EventBody;
export type EventType = EventBody["type"];

/** A rejected command ends nothing by itself: a bad cancel leaves its deployment running. */
export const TERMINAL_EVENTS: readonly EventType[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(e: { type: EventType }): boolean {
  return TERMINAL_EVENTS.includes(e.type);
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>([
  "accepted",
  "queued",
  "rejected",
  "step-started",
  "step-finished",
  "step-log",
  "step-progress",
  "unit-status",
  "awaiting-confirmation",
  "confirmed",
  "rolled-back",
  "succeeded",
  "failed",
  "cancelled",
]);

/**
 * Reads an event off the wire (the browser does, from JetStream). Checks the envelope, which
 * every consumer relies on; a malformed event is dropped by the caller with the reason.
 */
export function parseEvent(text: string): { ok: true; event: DeployEvent } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof raw !== "object" || raw === null) return { ok: false, reason: "not an object" };
  const e = raw as Record<string, unknown>;
  if (e.v !== PROTOCOL_VERSION) return { ok: false, reason: `unknown version ${String(e.v)}` };
  if (!isSubjectToken(e.deploymentId) || !isSubjectToken(e.leafId)) return { ok: false, reason: "no deploymentId or leafId" };
  if (typeof e.seq !== "number" || !Number.isInteger(e.seq) || e.seq < 1) return { ok: false, reason: "no seq" };
  if (typeof e.type !== "string" || !EVENT_TYPES.has(e.type)) return { ok: false, reason: `unknown type ${String(e.type)}` };
  return { ok: true, event: raw as DeployEvent };
}
