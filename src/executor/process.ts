import { spawn } from "node:child_process";
import type { Readable } from "node:stream";

export type OutputStream = "stdout" | "stderr";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Aborting stops the process group (cancel). */
  signal?: AbortSignal;
  onLine: (stream: OutputStream, line: string) => void;
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

/**
 * Runs one real process without a shell, in its own process group, streaming its output line
 * by line. A timeout or an abort stops the whole group (SIGTERM, then SIGKILL), so nothing a
 * step started outlives it.
 */
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

export function runProcess(command: string, args: string[], o: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn(command, args, { cwd: o.cwd, env: o.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });

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
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      resolve({ ...outcome, timedOut, cancelled, durationMs: Date.now() - started });
    };
    child.once("error", (e) => finish({ exitCode: null, signal: null, spawnError: e.message }));
    // "close" (not "exit") so the last output lines have been read.
    child.once("close", (exitCode, signal) => finish({ exitCode, signal }));
  });
}
