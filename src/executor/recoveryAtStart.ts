import { dirname, join } from "node:path";
import { err, messageOf, type AlchemistError } from "../core/errors";
import type { DeploymentSummary } from "../core/protocol";
import type { ExecutorConfig } from "./config";
import type { EventPublisher } from "./eventPublisher";
import { ProcessGroups } from "./process";
import { ActivationRecords, afterRollback, readBootId, readMachine, restore, runnerFor, type ActivationRecord } from "./recovery";

/** The process groups of a work folder: see ProcessGroups. */
export const processGroupsOf = (config: ExecutorConfig) => new ProcessGroups(join(config.workDir, "processes"), readBootId(config));

/** Where a rolled-back deployment is reported: its events and its summary on the hub. */
export interface RollbackReport {
  publisherFor(deploymentId: string): Promise<EventPublisher>;
  summaryOf(deploymentId: string): Promise<DeploymentSummary | undefined>;
  saveSummary(summary: DeploymentSummary): Promise<void>;
}

/**
 * What a previous run of the executor (or the machine, by rebooting) left half done, finished
 * before this run takes a command: first the process groups it started are ended, then every
 * activation not confirmed is rolled back to the system its record names — at once when its
 * outcome is unknown, its confirmation window is over or it was made before the last boot
 * (nobody watched it meanwhile), otherwise when the window ends without the deployment having
 * been taken up again. Rolled-back deployments are reported once the hub can be reached.
 *
 * The boot check (`bootCheck`, the alchemist-rollback unit) does only what concerns an earlier
 * boot: records of this boot and the processes that run are a live executor's business — a
 * switch that adds the unit starts it while the executor activates.
 */
export class Recovery {
  private readonly records: ActivationRecords;
  private readonly watched = new Map<string, { record: ActivationRecord; timer: NodeJS.Timeout }>();
  private report: ((record: ActivationRecord) => Promise<void>) | undefined;
  private reporting: Promise<void> = Promise.resolve();
  /** Rollbacks of this run that failed. */
  failures = 0;

  private constructor(
    private readonly config: ExecutorConfig,
    private readonly log: (line: string) => void,
  ) {
    this.records = new ActivationRecords(config.workDir);
  }

  static async run(config: ExecutorConfig, log: (line: string) => void, opts: { bootCheck?: boolean } = {}): Promise<Recovery> {
    const r = new Recovery(config, log);
    const bootId = readBootId(config);
    if (!opts.bootCheck) {
      const ended = await processGroupsOf(config).endLeftovers();
      if (ended.length > 0) log(`ended ${ended.length} process group(s) a previous run of the executor left running: ${ended.join(", ")}`);
    }
    let storeDir: string;
    try {
      storeDir = dirname(readMachine(config).profile);
    } catch (e) {
      // Not NixOS (or its links broken): nothing was activated here, or nothing can be put back.
      const { records, bad } = r.records.all("/nix/store");
      if (records.length + bad.length > 0) log(`error E_ROLLBACK_FAILED: ${records.length + bad.length} activation record(s) in ${r.records.dir}, but the machine cannot be read (${messageOf(e)}); nothing rolled back`);
      return r;
    }
    const { records, bad } = r.records.all(storeDir);
    for (const b of bad) log(`error E_ROLLBACK_FAILED: activation record ${b}; left as it is, not acted on`);
    const now = Date.now();
    for (const record of records) {
      const id = record.deploymentId;
      const rebooted = record.bootId !== bootId;
      if (opts.bootCheck && !rebooted) {
        // Made in this boot: a live executor's, or the next start's.
      } else if (record.phase === "confirmed") {
        r.records.remove(id);
      } else if (record.phase === "rolled-back" || record.phase === "rollback-failed") {
        // Rolled back (by the boot check, or before a crash), not yet reported.
      } else if (record.phase === "awaiting-confirmation" && !rebooted && Date.parse(record.deadline) > now) {
        log(`deployment ${id} awaits confirmation until ${record.deadline}; watching it again`);
        r.watch(record);
      } else {
        await r.rollBack(record, r.why(record, rebooted));
      }
    }
    return r;
  }

  private why(record: ActivationRecord, afterReboot: boolean): AlchemistError {
    if (afterReboot) return err("E_NOT_CONFIRMED", "rolled back: not confirmed before the machine rebooted");
    if (record.phase === "awaiting-confirmation") return err("E_NOT_CONFIRMED", `rolled back: not confirmed (the executor restarted; the confirmation window ended at ${record.deadline})`);
    return err("E_EXECUTOR_RESTARTED", "executor restarted during the activation, so its outcome is unknown: rolled back");
  }

  private watch(record: ActivationRecord): void {
    const timer = setTimeout(() => {
      this.watched.delete(record.deploymentId);
      void this.rollBack(record, this.why(record, false));
    }, Math.max(0, Date.parse(record.deadline) - Date.now()));
    this.watched.set(record.deploymentId, { record, timer });
  }

  private async rollBack(record: ActivationRecord, why: AlchemistError): Promise<void> {
    const id = record.deploymentId;
    this.log(`deployment ${id}: ${why.message}; rolling back to ${record.running}`);
    const run = runnerFor(this.config, processGroupsOf(this.config), (_stream, line) => this.log(`rollback of ${id}: ${line}`));
    const problem = await restore(record, this.config, run);
    const next = afterRollback(record, why, problem, this.config);
    if (problem) this.failures++;
    this.log(problem ? `error ${next.error!.code}: ${next.error!.message}` : `deployment ${id}: rolled back to ${record.running}`);
    try {
      this.records.write(next);
    } catch (e) {
      // The machine is back (or not) either way; unrecorded, the next start does the same again and reports it.
      this.log(`the outcome of the rollback of ${id} could not be written to ${this.records.dir} (${messageOf(e)})`);
      return;
    }
    if (this.report) this.enqueueReport(next);
  }

  /**
   * A deployment whose command came back while its confirmation window is open: its record,
   * for the deployment to wait for the confirmation itself. Undefined when it is not watched.
   */
  adopt(deploymentId: string): ActivationRecord | undefined {
    const w = this.watched.get(deploymentId);
    if (!w) return undefined;
    clearTimeout(w.timer);
    this.watched.delete(deploymentId);
    return w.record;
  }

  /** Reports every rollback not yet reported, and those to come; resolves when the first ones are reported. */
  attach(report: RollbackReport): Promise<void> {
    this.report = (record) => reportRollback(record, report, this.records);
    const storeDir = (() => {
      try {
        return dirname(readMachine(this.config).profile);
      } catch {
        return undefined;
      }
    })();
    if (storeDir) for (const record of this.records.all(storeDir).records) if (record.phase === "rolled-back" || record.phase === "rollback-failed") this.enqueueReport(record);
    return this.reporting;
  }

  private enqueueReport(record: ActivationRecord): void {
    this.reporting = this.reporting.then(() => this.report?.(record)).catch((e) => this.log(`the rollback of ${record.deploymentId} could not be reported yet (${messageOf(e)}); it will be at the next start`));
  }

  /** Stops watching (the executor stops): a record still open is taken up by the next start. */
  stop(): void {
    for (const w of this.watched.values()) clearTimeout(w.timer);
    this.watched.clear();
  }
}

/** `rolled-back` (when it was) and `failed` with the reason, the summary `failed`, then the record is done with. */
async function reportRollback(record: ActivationRecord, report: RollbackReport, records: ActivationRecords): Promise<void> {
  const error = record.error ?? err("E_EXECUTOR_RESTARTED", "executor restarted");
  const events = await report.publisherFor(record.deploymentId);
  if (record.phase === "rolled-back") await events.emit({ type: "rolled-back", reason: `${error.message}; the machine runs ${record.running} again` });
  await events.emit({ type: "failed", error });
  await events.drain();
  const known = await report.summaryOf(record.deploymentId);
  if (known) await report.saveSummary({ ...known, state: "failed", step: null, finishedAt: new Date().toISOString(), error });
  if (record.phase === "rollback-failed") records.setAttention(record.deploymentId, error.message);
  records.remove(record.deploymentId);
}

