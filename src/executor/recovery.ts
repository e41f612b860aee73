import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize } from "node:path";
import { err, messageOf, type AlchemistError } from "../core/errors";
import { isSubjectToken } from "../core/protocol";
import type { ExecutorConfig } from "./config";
import { runProcess, type OutputStream, type ProcessGroups } from "./process";
import { which } from "./which";

/**
 * What the executor knows before it activates, written to disk first (atomically, fsynced), so
 * that the machine can be put back exactly as it was by this run, the next start of the
 * executor or the boot check (`alchemist executor --recover-only`), whatever happened between.
 */
export interface ActivationRecord {
  v: 1;
  deploymentId: string;
  instance: string;
  action: "switch" | "test";
  /** The store path /run/current-system pointed at: the running system. */
  running: string;
  /** The store path of the system profile's current generation (the boot default) and that generation's link. */
  profile: string;
  generation: string;
  /** The boot it was made in (/proc/sys/kernel/random/boot_id): after a reboot nobody watched it. */
  bootId: string;
  /**
   * activating: its outcome is not known yet (activation, health, an auto confirmation);
   * awaiting-confirmation: a manual confirm may still come until `deadline`;
   * confirmed: it stays; rolled-back / rollback-failed: the machine was put back (or not), to be reported.
   */
  phase: "activating" | "awaiting-confirmation" | "confirmed" | "rolled-back" | "rollback-failed";
  /** After this instant an unconfirmed activation is rolled back. */
  deadline: string;
  /** Why it was rolled back, once it was: the deployment's error. */
  error?: AlchemistError;
}

const PHASES: readonly ActivationRecord["phase"][] = ["activating", "awaiting-confirmation", "confirmed", "rolled-back", "rollback-failed"];

/** The machine as the record knows it: what runs, which generation the profile is on, and which boot this is. */
export interface MachineNow {
  running: string;
  profile: string;
  generation: string;
  bootId: string;
}

/** Reads the running system and the system profile's generation (throws when this is not NixOS or the links are broken). */
export function readMachine(config: ExecutorConfig): MachineNow {
  const { currentSystem, systemProfile } = config.machine;
  return { running: realpathSync(currentSystem), profile: realpathSync(systemProfile), generation: readlinkSync(systemProfile), bootId: readBootId(config) };
}

/** This boot's id; empty when it cannot be read (then every record looks as if made in another boot, and is rolled back rather than watched). */
export function readBootId(config: ExecutorConfig): string {
  try {
    return readFileSync(config.machine.bootId, "utf8").trim();
  } catch {
    return "";
  }
}

export const describeMachine = (m: MachineNow) => `running ${m.running}, system profile at ${basename(m.generation)} (${m.profile})`;

/** A record as read from disk, refused unless every field is what this executor writes: a rollback runs its paths as root. */
function parseRecord(text: string, storeDir: string): ActivationRecord | string {
  let r: Partial<ActivationRecord>;
  try {
    r = JSON.parse(text) as Partial<ActivationRecord>;
  } catch (e) {
    return `not JSON (${messageOf(e)})`;
  }
  // Only systems straight in the store the profile's own generations are in: nothing else is run.
  const storePath = (p: unknown) => typeof p === "string" && isAbsolute(p) && normalize(p) === p && dirname(p) === storeDir;
  if (r?.v !== 1 || !isSubjectToken(r.deploymentId) || typeof r.instance !== "string") return "not an activation record";
  if (r.action !== "switch" && r.action !== "test") return `action ${String(r.action)} is not switch or test`;
  if (!storePath(r.running) || !storePath(r.profile)) return `its systems are not store paths in ${storeDir}`;
  if (typeof r.generation !== "string" || typeof r.bootId !== "string" || !PHASES.includes(r.phase!) || Number.isNaN(Date.parse(String(r.deadline)))) return "a field is missing or malformed";
  return r as ActivationRecord;
}

const ATTENTION = "attention.json";

/** Writes `name` in `dir` whole or not at all, even across a crash: temporary file, fsync, rename, fsync of the folder. */
function writeAtomic(dir: string, name: string, text: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** The activation records of the work folder: `activations/<deploymentId>.json`, one per activation not yet done with. */
export class ActivationRecords {
  readonly dir: string;
  constructor(workDir: string) {
    this.dir = join(workDir, "activations");
  }

  /** Writes a record so that after a crash it is there whole or not at all. */
  write(record: ActivationRecord): void {
    writeAtomic(this.dir, `${record.deploymentId}.json`, `${JSON.stringify(record)}\n`);
  }

  remove(deploymentId: string): void {
    rmSync(join(this.dir, `${deploymentId}.json`), { force: true });
  }

  /** A rollback that failed: the leaf needs a person, until an activation on it succeeds. */
  setAttention(deploymentId: string, reason: string): void {
    writeAtomic(this.dir, ATTENTION, `${JSON.stringify({ deploymentId, reason })}\n`);
  }

  clearAttention(): void {
    rmSync(join(this.dir, ATTENTION), { force: true });
  }

  attention(): { deploymentId: string; reason: string } | undefined {
    try {
      const a = JSON.parse(readFileSync(join(this.dir, ATTENTION), "utf8")) as { deploymentId?: unknown; reason?: unknown };
      return isSubjectToken(a.deploymentId) && typeof a.reason === "string" ? { deploymentId: a.deploymentId, reason: a.reason } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every readable record; one that is not is named in `bad` and left where it is for a person to look at. */
  all(storeDir: string): { records: ActivationRecord[]; bad: string[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith(".json") && n !== ATTENTION).sort();
    } catch {
      return { records: [], bad: [] };
    }
    const records: ActivationRecord[] = [];
    const bad: string[] = [];
    for (const name of names) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, name), "utf8");
      } catch (e) {
        bad.push(`${join(this.dir, name)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`);
        continue;
      }
      const parsed = parseRecord(text, storeDir);
      if (typeof parsed === "string" || `${parsed.deploymentId}.json` !== name) bad.push(`${join(this.dir, name)}: ${typeof parsed === "string" ? parsed : "named after another deployment"}`);
      else records.push(parsed);
    }
    return { records, bad };
  }
}

/** Runs one process of a rollback; a rollback is never cancelled (a cancel is what may have caused it). */
export type Runner = (command: string, args: string[]) => Promise<{ ok: boolean; why: string }>;

export function runnerFor(config: ExecutorConfig, groups: ProcessGroups, onLine: (stream: OutputStream, line: string) => void): Runner {
  return async (command, args) => {
    const r = await runProcess(command, args, { timeoutMs: config.stepTimeoutsMs.activate, groups, onLine });
    const what = `${command} ${args.join(" ")}`;
    if (r.exitCode === 0) return { ok: true, why: "" };
    return { ok: false, why: `${what} ${r.spawnError ? `could not be started: ${r.spawnError}` : r.timedOut ? "ran out of time" : r.exitCode === null ? `was killed by ${r.signal}` : `exited with code ${r.exitCode}`}` };
  };
}

/**
 * Puts the machine back as the record found it, exactly: the system profile set to the
 * generation's system again when it moved (`nix-env --set`: a new generation of that system, or
 * none when it is the newest), and the running system's own switch-to-configuration — `switch`
 * when it was the profile's (running and boot default both come back), otherwise `test` for the
 * running one and, after a switch, the profile's system's `boot` for the boot default. Checked
 * against the machine afterwards; the result is null or what went wrong.
 */
export async function restore(record: ActivationRecord, config: ExecutorConfig, run: Runner): Promise<string | null> {
  const profileNow = (() => {
    try {
      return realpathSync(config.machine.systemProfile);
    } catch {
      return undefined;
    }
  })();
  if (profileNow !== record.profile) {
    const nixEnv = which(config.tools.nixEnv);
    if (!nixEnv) return `${config.tools.nixEnv} not found, so the system profile could not be set back to ${record.profile}`;
    const set = await run(nixEnv, ["-p", config.machine.systemProfile, "--set", record.profile]);
    if (!set.ok) return set.why;
  }
  const stc = (system: string) => join(system, "bin/switch-to-configuration");
  const steps: [string, string][] =
    record.running === record.profile && record.action === "switch"
      ? [[stc(record.running), "switch"]]
      : [[stc(record.running), "test"], ...(record.action === "switch" ? ([[stc(record.profile), "boot"]] as [string, string][]) : [])];
  for (const [command, action] of steps) {
    const r = await run(command, [action]);
    if (!r.ok) return r.why;
  }
  try {
    const now = readMachine(config);
    if (now.running !== record.running) return `after the rollback the running system is ${now.running}, not ${record.running}`;
    if (now.profile !== record.profile) return `after the rollback the system profile is on ${now.profile}, not ${record.profile}`;
  } catch (e) {
    return `the machine could not be read after the rollback: ${messageOf(e)}`;
  }
  return null;
}

/** What became of a record a rollback was due for. */
export function afterRollback(record: ActivationRecord, why: AlchemistError, problem: string | null, config: ExecutorConfig): ActivationRecord {
  if (!problem) return { ...record, phase: "rolled-back", error: why };
  let on = "the machine's state could not be read";
  try {
    on = describeMachine(readMachine(config));
  } catch {
    // said as it is
  }
  const error = err("E_ROLLBACK_FAILED", `${why.message}; rolling back to ${record.running} failed too (${problem}); the leaf needs attention: it is ${on}`);
  return { ...record, phase: "rollback-failed", error };
}
