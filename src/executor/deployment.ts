import { join } from "node:path";
import type { JsMsg } from "@nats-io/jetstream";
import { err, messageOf, type AlchemistError } from "../core/errors";
import { STEPS, deploymentKey, type DeploymentState, type DeploymentSummary, type StepName } from "../core/protocol";
import type { ExecutorConfig } from "./config";
import type { EventPublisher } from "./eventPublisher";
import type { DeployStores } from "./jetstreamSetup";
import { NixLogReader } from "./nixLog";
import { runProcess, type ProcessGroups } from "./process";
import { ActivationRecords, afterRollback, readMachine, restore, runnerFor, type ActivationRecord } from "./recovery";
import { processGroupsOf } from "./recoveryAtStart";
import { ACTIVATING, type ConfirmOutcome, type DeploymentPlan, type RunResult, type Step, type StepContext, type StepResult } from "./steps/context";
import { prepare } from "./steps/prepare";
import { check } from "./steps/check";
import { evaluate } from "./steps/evaluate";
import { build } from "./steps/build";
import { activate } from "./steps/activate";
import { health } from "./steps/health";
import { confirm } from "./steps/confirm";

const STEP_IMPL: Record<StepName, Step> = { prepare, check, evaluate, build, activate, health, confirm };
const TAIL_LINES = 50;

/**
 * One deployment on this leaf: its command message (acknowledged only when it has ended, so a
 * crash hands it back), its events, its summary in cim_deployments, and the pipeline run.
 */
export class Deployment {
  readonly abort = new AbortController();
  summary: DeploymentSummary;
  private halted = false;
  private finished: Promise<void> = Promise.resolve();
  private confirmWaiter: ((o: ConfirmOutcome) => void) | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** Written before activation (see recovery.ts): what a rollback goes back to. */
  private record: ActivationRecord | undefined;
  /** Watched again after a restart: the pipeline goes on at confirm. */
  private resumed = false;
  private readonly records: ActivationRecords;
  private readonly groups: ProcessGroups;

  constructor(
    readonly plan: DeploymentPlan,
    public msg: JsMsg,
    readonly events: EventPublisher,
    private readonly config: ExecutorConfig,
    private readonly stores: DeployStores,
    private readonly onSave: (summary: DeploymentSummary) => void,
    private readonly log: (line: string) => void,
  ) {
    this.summary = {
      deploymentId: plan.deploymentId,
      commandId: plan.commandId,
      leafId: config.leafId,
      instance: plan.instance,
      action: plan.action,
      designHash: plan.designHash,
      signer: plan.signer,
      commandSeq: msg.seq,
      state: "queued",
      step: null,
      rollbackOf: plan.rollbackOf,
      ...(plan.design ? { design: plan.design } : {}),
      acceptedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
    };
    this.records = new ActivationRecords(config.workDir);
    this.groups = processGroupsOf(config);
    // Long deployments keep their command message: tell JetStream it is still being worked on.
    this.ackTimer = setInterval(() => this.msg.working(), Math.max(1000, config.ackWaitMs / 3));
  }

  get id(): string {
    return this.plan.deploymentId;
  }

  /**
   * Records the summary here at once and in cim_deployments in order, each write retried until
   * it lands (the hub may be restarting), as events are: a failed write must neither leave the
   * hub's summary behind nor reject into a caller that does not wait for it. A halt stops it.
   */
  save(patch: Partial<DeploymentSummary>): Promise<void> {
    this.summary = { ...this.summary, ...patch };
    this.onSave(this.summary);
    this.saving = this.saving.then(() => this.storeSummary());
    return this.saving;
  }

  private async storeSummary(): Promise<void> {
    for (let attempt = 1; !this.halted; attempt++) {
      try {
        // The latest summary, so a write retried after later changes does not undo them.
        await this.stores.deployments.put(deploymentKey(this.config.leafId, this.id), JSON.stringify(this.summary));
        return;
      } catch (e) {
        if (attempt === 1 || attempt % 10 === 0) this.log(`summary of ${this.id} not stored yet (${messageOf(e)}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
      }
    }
  }

  /** Executor shutdown: stop the processes, publish and acknowledge nothing more. */
  async halt(): Promise<void> {
    this.halted = true;
    clearInterval(this.ackTimer);
    this.abort.abort();
    this.confirmWaiter?.("cancelled");
    this.events.close();
    await this.finished.catch(() => undefined);
  }

  cancel(): void {
    this.abort.abort();
    this.confirmWaiter?.("cancelled");
  }

  /** A confirm command for this deployment; false when nothing is waiting for one. */
  confirm(): boolean {
    if (!this.confirmWaiter) return false;
    this.confirmWaiter("confirmed");
    return true;
  }

  /** A deployment whose activation awaited confirmation when the executor stopped: it waits again, until the recorded deadline. */
  resume(record: ActivationRecord): void {
    this.record = record;
    this.resumed = true;
  }

  private writeRecord(record: ActivationRecord): void {
    this.records.write(record);
    this.record = record;
  }

  /** The activation stays: no later start may roll it back. */
  private markConfirmed(): void {
    if (this.record) this.writeRecord({ ...this.record, phase: "confirmed" });
  }

  /** Ends a deployment that never ran (cancelled while queued, or found half-done after a restart). */
  async end(state: Exclude<DeploymentState, "queued" | "running" | "awaiting-confirmation">, body: Parameters<EventPublisher["emit"]>[0], error: AlchemistError | null = null): Promise<void> {
    await this.events.emit(body);
    await this.save({ state, step: null, finishedAt: new Date().toISOString(), error });
    await this.events.drain();
    this.release();
  }

  private release(): void {
    clearInterval(this.ackTimer);
    this.msg.ack();
  }

  private context(activated: () => boolean): StepContext {
    const dir = join(this.config.workDir, "deployments", this.id);
    return {
      plan: this.plan,
      dir,
      config: this.config,
      stores: this.stores,
      events: this.events,
      signal: this.abort.signal,
      activated,
      run: (step, command, args, opts = {}) => this.runTool(step, command, args, dir, opts),
      recordActivation: () => {
        const { currentSystem, systemProfile } = this.config.machine;
        const { activate, health } = this.config.stepTimeoutsMs;
        try {
          const machine = readMachine(this.config);
          const deadline = new Date(Date.now() + activate + health + this.plan.confirm.timeoutSeconds * 1000).toISOString();
          this.writeRecord({ v: 1, deploymentId: this.id, instance: this.plan.instance, action: this.plan.action as ActivationRecord["action"], ...machine, phase: "activating", deadline });
          return null;
        } catch (e) {
          return err("E_STEP_FAILED", `activate: the running system (${currentSystem}) and the system profile (${systemProfile}) could not be recorded in ${this.records.dir} (${messageOf(e)}), so there would be nothing to roll back to; nothing was activated`);
        }
      },
      confirmDeadline: () => (this.resumed && this.record ? Date.parse(this.record.deadline) : Date.now() + this.plan.confirm.timeoutSeconds * 1000),
      markConfirmed: () => this.markConfirmed(),
      waitForConfirm: (deadline) =>
        new Promise<ConfirmOutcome>((resolve) => {
          if (this.abort.signal.aborted) return resolve("cancelled");
          // On disk first: a restart inside the window watches it again, one after it rolls back.
          if (this.record) this.writeRecord({ ...this.record, phase: "awaiting-confirmation", deadline: new Date(deadline).toISOString() });
          const timer = setTimeout(() => finish("timeout"), Math.max(0, deadline - Date.now()));
          const finish = (o: ConfirmOutcome) => {
            clearTimeout(timer);
            this.confirmWaiter = undefined;
            // Before the confirm command is acknowledged: a crash now must not roll a confirmed activation back.
            if (o === "confirmed") this.markConfirmed();
            void this.save({ state: "running" });
            resolve(o);
          };
          this.confirmWaiter = finish;
          void this.save({ state: "awaiting-confirmation" });
        }),
    };
  }

  private async runTool(step: StepName, command: string, args: string[], cwd: string, opts: { nixLog?: boolean; quietStdout?: boolean; timeoutMs?: number }): Promise<RunResult> {
    const tail: string[] = [];
    const stdout: string[] = [];
    const reader = opts.nixLog ? new NixLogReader() : undefined;
    const timeoutMs = opts.timeoutMs ?? this.config.stepTimeoutsMs[step];
    const outcome = await runProcess(command, args, {
      cwd,
      timeoutMs,
      signal: this.abort.signal,
      groups: this.groups,
      onLine: (stream, raw) => {
        let line = raw;
        if (reader) {
          const item = reader.read(raw);
          if (item.kind === "progress") return this.events.progress(step, item.progress);
          if (item.kind === "none") return;
          line = item.line;
        }
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        if (stream === "stdout" && opts.quietStdout) stdout.push(line);
        else this.events.logLine(step, stream, line);
      },
    });
    return { ...outcome, tail, stdout };
  }

  /** prepare → check → evaluate → build → activate → health → confirm, then the end event. */
  run(): Promise<void> {
    this.finished = this.pipeline(this.resumed ? STEPS.indexOf("confirm") : 0);
    return this.finished;
  }

  private async pipeline(from: number): Promise<void> {
    let activated = this.resumed;
    const ctx = this.context(() => activated);
    await this.save({ state: "running", startedAt: this.summary.startedAt ?? new Date().toISOString() });
    const skippedAt = new Map<StepName, string>();
    let failure: { step: StepName; error: AlchemistError } | undefined;
    for (const step of STEPS.slice(from)) {
      if (this.abort.signal.aborted) break;
      await this.save({ step });
      await this.events.emit({ type: "step-started", step });
      const started = Date.now();
      let result: StepResult;
      try {
        result = await STEP_IMPL[step](ctx);
      } catch (e) {
        // A step's own bug or an I/O error must end this deployment, not the executor.
        result = { status: "failed", reason: messageOf(e), error: err("E_STEP_FAILED", `${step}: ${messageOf(e)}`) };
      }
      if (this.halted) return;
      await this.events.emit({
        type: "step-finished",
        step,
        status: result.status,
        ...(result.reason ? { reason: result.reason } : {}),
        durationMs: Date.now() - started,
      });
      if (step === "activate" && result.status === "ok" && ACTIVATING.includes(this.plan.action)) activated = true;
      if (result.status === "skipped") skippedAt.set(step, result.reason ?? "skipped");
      if (result.status === "failed") {
        if (!this.abort.signal.aborted) failure = { step, error: result.error ?? err("E_STEP_FAILED", `${step} failed`) };
        break;
      }
    }

    if (this.halted) return;
    // A failed or cancelled activation may have changed the machine already (nixos-rebuild
    // switch sets the profile before switch-to-configuration, which may then fail).
    const undo = this.record !== undefined && (activated || this.machineMoved());
    if (this.abort.signal.aborted) {
      const problem = undo ? await this.rollBack(this.summary.step ?? "confirm", err("E_STEP_FAILED", "the deployment was cancelled during or after activation")) : null;
      if (problem) return this.finish("failed", { type: "failed", error: problem }, problem);
      return this.finish("cancelled", { type: "cancelled", reason: "cancelled by a cancel command" });
    }
    if (failure) {
      const problem = undo ? await this.rollBack(failure.step, failure.error) : null;
      const error = problem ?? failure.error;
      return this.finish("failed", { type: "failed", error }, error);
    }
    // Files that were only written and parsed are not a deployment: say so rather than succeed.
    const undone = skippedAt.get("build") ?? (this.plan.action !== "build" ? skippedAt.get("activate") : undefined);
    if (undone) {
      const error = err("E_NOT_DEPLOYED", `nothing was ${skippedAt.has("build") ? "built" : "activated"}: ${undone}`);
      return this.finish("failed", { type: "failed", error }, error);
    }
    if (this.record) this.records.clearAttention();
    return this.finish("succeeded", { type: "succeeded" });
  }

  /** Ends the deployment, then its activation record is done with (it was confirmed, rolled back, or never needed). */
  private async finish(...args: Parameters<Deployment["end"]>): Promise<void> {
    await this.end(...args);
    if (this.record) this.records.remove(this.id);
  }

  /** Whether the machine is no longer as recorded before activation (or cannot be read). */
  private machineMoved(): boolean {
    try {
      const now = readMachine(this.config);
      return now.running !== this.record!.running || now.profile !== this.record!.profile;
    } catch {
      return true;
    }
  }

  /**
   * Puts the machine back exactly as recorded before activation (recovery.ts: restore) and says
   * so; null when it is, otherwise the E_ROLLBACK_FAILED error to end with, which names the
   * system the leaf is on and marks the leaf as needing attention.
   */
  private async rollBack(step: StepName, why: AlchemistError): Promise<AlchemistError | null> {
    const record = this.record!;
    const problem = await restore(record, this.config, runnerFor(this.config, this.groups, (stream, line) => this.events.logLine(step, stream, line)));
    const next = afterRollback(record, why, problem, this.config);
    try {
      this.writeRecord(next);
    } catch (e) {
      // Still `activating` on disk: a crash before this deployment ends makes the next start roll back again, which is harmless.
      this.log(`deployment ${this.id}: the rollback's outcome could not be recorded (${messageOf(e)})`);
    }
    if (problem) {
      this.log(`deployment ${this.id}: ${next.error!.message}`);
      this.records.setAttention(this.id, next.error!.message);
      return next.error!;
    }
    await this.events.emit({ type: "rolled-back", reason: `${why.message}; the machine runs ${record.running} again` });
    return null;
  }
}
