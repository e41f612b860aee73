import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { onLines } from "../../executor/process";
import type { Reaper } from "./reaper";

export interface SupervisedSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Restart after this delay when the child exits while the stack is up. */
  restartDelayMs: number;
  /** Every line goes to this file; only lines passing `echo` are also shown on the terminal. */
  logFile: string;
  echo: (line: string) => boolean;
}

/**
 * Keeps one child process running in its own process group, prefixes its output with its
 * name, restarts it when it dies on its own, and on stop() kills the whole group so no
 * grandchild (or nats-server) outlives the stack. Each group is told to the reaper, which
 * ends it should the supervisor itself die without stopping it.
 */
export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly file: WriteStream;

  constructor(
    private readonly spec: SupervisedSpec,
    private readonly log: (line: string) => void,
    private readonly reaper?: Pick<Reaper, "watch" | "forget">,
  ) {
    this.file = createWriteStream(spec.logFile, { flags: "a" });
    // A log that cannot be written (disk full, folder gone) is said, not a reason for `up` to die.
    this.file.on("error", (e) => this.log(`[${spec.name}] cannot write ${spec.logFile}: ${e.message}`));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { name, command, args, env } = this.spec;
    const child = spawn(command, args, { env: env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const group = child.pid;
    if (group !== undefined) this.reaper?.watch(group);
    for (const out of [child.stdout!, child.stderr!]) {
      out.on("data", (chunk: string) => this.file.write(chunk));
      onLines(out, (line) => {
        if (line.length > 0 && this.spec.echo(line)) this.log(`[${name}] ${line}`);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once("error", (e) => {
        this.log(`[${name}] could not start: ${e.message}`);
        resolve();
      });
      child.once("exit", (code, signal) => {
        if (group !== undefined) this.reaper?.forget(group);
        resolve();
        if (this.stopping) return;
        this.log(`[${name}] exited (${signal ?? `code ${code}`}); restarting in ${this.spec.restartDelayMs} ms`);
        this.restartTimer = setTimeout(() => this.start(), this.spec.restartDelayMs);
      });
    });
  }

  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const group = -child.pid;
    signalGroup(group, "SIGTERM");
    const killer = setTimeout(() => signalGroup(group, "SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(killer);
    // Children of the child (if any) share the group; make sure none is left.
    signalGroup(group, "SIGKILL");
    this.file.end();
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}
