import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";

export type OutputStream = "stdout" | "stderr";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Aborting stops the process group (cancel). */
  signal?: AbortSignal;
  onLine: (stream: OutputStream, line: string) => void;
  /** Where the process group is recorded while it runs, so that a later start can end it. */
  groups?: ProcessGroups;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string;
  durationMs: number;
}

/** After SIGTERM, a process group gets this long before SIGKILL; cancel must finish within 2 s. */
export const KILL_GRACE_MS = 1_500;

/** Calls `onLine` with each line of a stream (no "\n", no trailing "\r"), a line cut across chunks whole. */
export function onLines(source: Readable, onLine: (line: string) => void): void {
  let rest = "";
  source.setEncoding("utf8");
  source.on("data", (chunk: string) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const line of parts) onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  });
  source.on("end", () => {
    if (rest.length > 0) onLine(rest);
    rest = "";
  });
}

/**
 * Runs one real process without a shell, in its own process group, streaming its output line
 * by line. A timeout or an abort stops the whole group (SIGTERM, then SIGKILL), so nothing a
 * step started outlives it.
 */
export function runProcess(command: string, args: string[], o: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn(command, args, { cwd: o.cwd, env: o.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid;
    if (pid) o.groups?.add(pid);

    const killGroup = () => {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // gone already
        }
      }, KILL_GRACE_MS).unref();
    };

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, o.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener("abort", onAbort, { once: true });

    for (const stream of ["stdout", "stderr"] as const) onLines(child[stream]!, (line) => o.onLine(stream, line));

    const finish = (outcome: Omit<RunOutcome, "timedOut" | "cancelled" | "durationMs">) => {
      if (settled) return;
      settled = true;
      if (pid) o.groups?.remove(pid);
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      resolve({ ...outcome, timedOut, cancelled, durationMs: Date.now() - started });
    };
    child.once("error", (e) => finish({ exitCode: null, signal: null, spawnError: e.message }));
    // "close" (not "exit") so the last output lines have been read.
    child.once("close", (exitCode, signal) => finish({ exitCode, signal }));
  });
}

/** The start time of a process in clock ticks since boot (/proc/PID/stat field 22) and its process group, or undefined when it is gone. */
function procStat(pid: number): { startTime: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { startTime: fields[19]!, pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Whether any process is in group `pgid`. */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The process groups this executor started and that still run, one file each in a folder of
 * the work folder (`processes/<pgid>`, holding the boot's id and the leader's start time). A killed executor
 * (SIGKILL, outside systemd, which would take its control group) leaves its children running:
 * the next start ends every group found there before it touches anything else, so a build of
 * the killed run cannot finish later and change the machine or the work folder.
 */
export class ProcessGroups {
  /** `bootId`: this boot's; a group recorded in another boot is long gone (its pid may be anyone's now). */
  constructor(
    readonly dir: string,
    private readonly bootId: string,
  ) {}

  add(pid: number): void {
    const stat = procStat(pid);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(this.dir, String(pid)), `${this.bootId} ${stat?.startTime ?? ""}\n`, { mode: 0o600 });
    } catch {
      // Not recorded: it still dies with a stop or a cancel; only a SIGKILL of the executor would orphan it.
    }
  }

  remove(pid: number): void {
    rmSync(join(this.dir, String(pid)), { force: true });
  }

  /**
   * Kills (SIGKILL) every group a previous run recorded: one whose leader is the very process
   * started then (same start time), or one left without its leader — Linux gives out no pid
   * still in use as a group id, so a leaderless group of that id is what remains of ours.
   * Waits until each is gone. Returns the group ids ended.
   */
  async endLeftovers(): Promise<number[]> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const ended: number[] = [];
    for (const name of names) {
      const pgid = Number(name);
      if (!/^[1-9]\d*$/.test(name)) continue;
      let recorded: string;
      try {
        recorded = readFileSync(join(this.dir, name), "utf8");
      } catch {
        continue;
      }
      const [bootId, startTime] = recorded.trim().split(" ");
      const leader = procStat(pgid);
      const ours = bootId === this.bootId && (leader ? leader.pgrp === pgid && leader.startTime === startTime : groupExists(pgid));
      if (ours) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // gone already
        }
        for (let i = 0; i < 100 && groupExists(pgid); i++) await new Promise((r) => setTimeout(r, 20));
        ended.push(pgid);
      }
      this.remove(pgid);
    }
    return ended;
  }
}
