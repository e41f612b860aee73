import { spawn, type ChildProcess } from "node:child_process";
import { onLines } from "../../executor/process";
import type { Command } from "../command";

/**
 * The children of `alchemist up` (nats-server, the executor) must not outlive it, however it
 * ends. A clean stop kills them itself; an uncaught error is caught and stops them too; but a
 * SIGKILL (or the OOM killer) gives `up` no chance to do anything. So `up` starts, before any
 * child, one small process of its own, the reaper, and keeps the write end of a pipe to it.
 * The kernel closes that pipe when `up` is gone, whatever killed it, and the reaper then ends
 * every process group `up` told it about.
 *
 * Why this and not the alternatives: nats-server is not ours, so it cannot watch its parent;
 * Linux's PR_SET_PDEATHSIG is not reachable from Node (and `setpriv --pdeathsig` fires when the
 * spawning *thread* exits and misses a parent that died before it was set); polling ppid needs
 * a wrapper per child and a timer; a closed pipe is one read that returns at once, on any Unix.
 * The reaper is in its own session, so Ctrl-C in the terminal reaches `up` (which stops the
 * children in order) and not the reaper.
 */
export class Reaper {
  private proc: ChildProcess | undefined;
  private readonly groups = new Set<number>();
  private closed = false;

  /** `label` names the stack in `ps` (its state folder), so one can tell whose reaper it is. */
  constructor(
    private readonly label: string,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    const proc = spawn(process.execPath, [process.argv[1]!, REAPER_COMMAND, this.label], { detached: true, stdio: ["pipe", "ignore", "inherit"] });
    this.proc = proc;
    // The reaper may be gone (killed on its own): a write then fails, and the exit below starts another.
    proc.stdin!.on("error", () => undefined);
    for (const g of this.groups) proc.stdin!.write(`+${g}\n`);
    proc.once("exit", (code, signal) => {
      if (this.closed || this.proc !== proc) return;
      this.log(`[reaper] exited (${signal ?? `code ${code}`}); starting another`);
      this.start();
    });
    // It must never be what keeps `up` running.
    proc.unref();
    (proc.stdin as unknown as { unref?: () => void }).unref?.();
  }

  /** A child's process group: to be ended if `up` dies. */
  watch(group: number): void {
    this.groups.add(group);
    this.proc?.stdin?.write(`+${group}\n`);
  }

  /** The group is gone (its leader exited): its id may be reused, so it must not be signalled. */
  forget(group: number): void {
    this.groups.delete(group);
    this.proc?.stdin?.write(`-${group}\n`);
  }

  /** After a clean stop: nothing is left to end, and the reaper exits as the pipe closes. */
  close(): void {
    this.closed = true;
    this.proc?.stdin?.end();
  }
}

export const REAPER_COMMAND = "_reaper";

/** How long the groups get after SIGTERM before SIGKILL: nats-server flushes JetStream in this. */
const GRACE_MS = 5000;

const alive = (group: number): boolean => {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
};

const signal = (group: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(-group, sig);
  } catch {
    // already gone
  }
};

/** The reaper itself (`alchemist _reaper LABEL`, started only by `up`): reads groups until the pipe closes, then ends them. */
export const reaperCommand: Command = {
  summary: "(internal) ends the children of `alchemist up` when it dies",
  async run() {
    const groups = new Set<number>();
    onLines(process.stdin, (line) => {
      const m = /^([+-])(\d+)$/.exec(line);
      if (!m) return;
      if (m[1] === "+") groups.add(Number(m[2]));
      else groups.delete(Number(m[2]));
    });
    // A terminal's signals are for `up`, which stops the children in order; the reaper's cue is the pipe.
    for (const s of ["SIGINT", "SIGHUP"] as const) process.on(s, () => undefined);
    await new Promise<void>((resolve) => {
      process.stdin.once("end", resolve);
      process.stdin.once("error", () => resolve());
      process.stdin.once("close", resolve);
    });
    for (const g of groups) signal(g, "SIGTERM");
    const deadline = Date.now() + GRACE_MS;
    while ([...groups].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const g of groups) if (alive(g)) signal(g, "SIGKILL");
    return 0;
  },
};
