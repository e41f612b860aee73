import type { AlchemistError } from "../../core/errors";
import { err } from "../../core/errors";
import type { ConfirmSpec, DeployAction, DesignRef, Signer, StepName, StepStatus } from "../../core/protocol";
import type { ExecutorConfig } from "../config";
import type { EventPublisher } from "../eventPublisher";
import type { DeployStores } from "../jetstreamSetup";
import type { RunOutcome } from "../process";

/** What a deployment deploys, whether it came as `deploy` or as `rollback`. */
export interface DeploymentPlan {
  deploymentId: string;
  commandId: string;
  instance: string;
  action: DeployAction;
  files: Record<string, string>;
  designHash: string;
  confirm: ConfirmSpec;
  rollbackOf: string | null;
  /** The design revision the files came from, when known. */
  design?: DesignRef;
  /** Lock the flake's inputs afresh rather than keep the pins of the flake.lock among the files. */
  updateInputs: boolean;
  /** Who signed the command. */
  signer: Signer;
}

export interface StepResult {
  status: StepStatus;
  reason?: string;
  error?: AlchemistError;
}

export type ConfirmOutcome = "confirmed" | "timeout" | "cancelled";

export interface StepContext {
  plan: DeploymentPlan;
  /** The deployment's own folder, where prepare writes the files. */
  dir: string;
  config: ExecutorConfig;
  stores: DeployStores;
  events: EventPublisher;
  signal: AbortSignal;
  /** Runs a real process for a step, streaming its output as step-log (and, with nixLog, step-progress) events. */
  run(step: StepName, command: string, args: string[], opts?: { nixLog?: boolean; quietStdout?: boolean; timeoutMs?: number }): Promise<RunResult>;
  /** Whether the activate step changed the running system (switch or test, and it ran). */
  activated(): boolean;
  /**
   * Before an activation: writes down (fsynced) the running system and the system profile's
   * generation, which a rollback goes back to. An error when it cannot: nothing may be activated then.
   */
  recordActivation(): AlchemistError | null;
  /** Until when a confirmation is waited for: the recorded deadline for a deployment watched again after a restart. */
  confirmDeadline(): number;
  /** The activation stays: recorded before `confirmed` is said, so that no later start rolls it back. */
  markConfirmed(): void;
  /** Resolves when a `confirm` command arrives, the deadline passes, or the deployment is cancelled. */
  waitForConfirm(deadline: number): Promise<ConfirmOutcome>;
}

export interface RunResult extends RunOutcome {
  /** The last lines the process wrote, for the error summary. */
  tail: string[];
  /** With quietStdout: what the process wrote on stdout, kept instead of logged. */
  stdout: string[];
}

export type Step = (ctx: StepContext) => Promise<StepResult>;

export const ok = (reason?: string): StepResult => (reason ? { status: "ok", reason } : { status: "ok" });
export const skipped = (reason: string): StepResult => ({ status: "skipped", reason });
export const failed = (error: AlchemistError): StepResult => ({ status: "failed", reason: error.message, error });

/** The actions that change the running system, and so need health checks and confirmation. */
export const ACTIVATING: readonly DeployAction[] = ["switch", "test"];

/** health and confirm look at a running system only after an activation really happened. */
export function notActivated(ctx: StepContext): StepResult | null {
  if (!ACTIVATING.includes(ctx.plan.action)) return skipped(`nothing was activated (action ${ctx.plan.action})`);
  if (!ctx.activated()) return skipped("nothing was activated (activate was skipped)");
  return null;
}

/** Turns a finished process into a step result, naming what ran and why it failed. */
export function fromRun(what: string, r: RunResult, timeoutMs: number): StepResult {
  if (r.cancelled) return { status: "failed", reason: "cancelled" };
  if (r.spawnError) return failed(err("E_STEP_FAILED", `${what} could not be started: ${r.spawnError}`));
  if (r.timedOut) return failed(err("E_STEP_TIMEOUT", `${what} ran out of time after ${Math.round(timeoutMs / 1000)} s`));
  if (r.exitCode !== 0) {
    const tail = r.tail.filter((l) => l.trim()).slice(-5).join("\n");
    const how = r.exitCode === null ? `was killed by ${r.signal}` : `exited with code ${r.exitCode}`;
    return failed(err("E_STEP_FAILED", `${what} ${how}${tail ? `:\n${tail}` : ""}`));
  }
  return ok();
}

export const flakeRef = (ctx: StepContext) => `path:${ctx.dir}#${ctx.plan.instance}`;
