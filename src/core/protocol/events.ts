import type { AlchemistError } from "../errors";
import type { DeployAction } from "./commands";
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
