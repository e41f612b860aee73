import { linkSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { AlchemistFailure, err, reasonOf } from "../../core/errors";

/**
 * One `up` per state folder. A second one on other ports would start a second nats-server on
 * the same JetStream store (nats-server does not lock it) and rewrite hub.conf and the pid
 * file under the first: the store's buckets then hold several messages per key, and the
 * leaves bucket reads empty even after both are stopped. So `up` holds `<state>/up.lock` from
 * before it writes anything until it has stopped its children.
 *
 * The lock names its process by pid and start time (a pid alone may be another process's by
 * the next boot, or the same number in a restarted container), and is made whole in one step:
 * written to a file of its own and hard-linked into place, which fails if the lock exists. A
 * lock whose process is gone (`up` was SIGKILLed; its reaper ends the children) is taken over
 * by renaming it away first, so two starts that both find it stale cannot both take it.
 */
export const STATE_LOCK_FILE = "up.lock";

export interface StateLock {
  release(): void;
}

/** A process as the lock names it: a pid and when it started (clock ticks since boot; "" where /proc is not). */
interface Holder {
  pid: number;
  started: string;
}

export function lockStateDir(stateDir: string, pid = process.pid): StateLock {
  const file = join(stateDir, STATE_LOCK_FILE);
  const text = `${pid} ${startTimeOf(pid)}\n`;
  const unique = (what: string) => join(stateDir, `${STATE_LOCK_FILE}.${what}.${pid}.${randomBytes(4).toString("hex")}`);
  const fsFailure = (e: unknown) => new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir}: cannot take ${STATE_LOCK_FILE} (${reasonOf(e)}); choose another with --state-dir`));
  const mine = unique("new");
  try {
    writeFileSync(mine, text, { mode: 0o644, flag: "wx" });
  } catch (e) {
    throw fsFailure(e);
  }
  try {
    // A few tries at most: each follows a lock that went away, or was taken away as stale.
    let taken = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        taken = true;
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fsFailure(e);
      }
      const seen = readText(file);
      if (seen === undefined) continue;
      const holder = parseHolder(seen);
      // A lock that does not parse was not made by this code (it is never written in part): taken over once it is old.
      if (holder === undefined ? youngerThan(file, 10_000) : isRunning(holder)) throw inUse(stateDir, holder);
      // Renamed away, then checked: another start may have replaced the stale lock with its own in between.
      const away = unique("stale");
      try {
        renameSync(file, away);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw fsFailure(e);
      }
      if (readText(away) !== seen) {
        try {
          linkSync(away, file);
        } catch {
          // A third start has the place now; it is the holder either way.
        }
        rmSync(away, { force: true });
        throw inUse(stateDir, parseHolder(readText(file) ?? ""));
      }
      rmSync(away, { force: true });
    }
    if (!taken) throw inUse(stateDir, parseHolder(readText(file) ?? ""));
  } finally {
    rmSync(mine, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (readText(file) === text) rmSync(file, { force: true });
    } catch {
      // Left for the next start to take over: its process is gone by then.
    }
  };
  // Held now: a hub of an earlier `up` (one that is gone, or one older than this lock) must not share the store.
  const hub = liveHubOf(stateDir);
  if (hub !== undefined) {
    release();
    throw new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir}: a nats-server of an earlier alchemist up still runs on it (pid ${hub}); wait for it to stop, or kill ${hub}, and start again`));
  }
  return { release };
}

function inUse(stateDir: string, holder: Holder | undefined): AlchemistFailure {
  const who = holder ? `alchemist up (pid ${holder.pid})` : "an alchemist up that is starting";
  const how = holder ? `Ctrl-C in its terminal, or kill ${holder.pid}` : "Ctrl-C in its terminal";
  return new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir} is in use by ${who}; stop that one first (${how}), or give this one another --state-dir`));
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): Holder | undefined {
  const m = /^(\d+) (\d*)\n$/.exec(text);
  return m ? { pid: Number(m[1]), started: m[2]! } : undefined;
}

const youngerThan = (file: string, ms: number): boolean => {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
};

/** Field 22 of /proc/<pid>/stat, after the command name (which may hold spaces and parentheses). */
function startTimeOf(pid: number): string {
  const stat = readText(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, under another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process the lock names still runs: the same pid, started at the same time where that is known. */
function isRunning(h: Holder): boolean {
  if (!isAlive(h.pid)) return false;
  const started = startTimeOf(h.pid);
  return h.started === "" || started === "" || started === h.started;
}

/** A nats-server still running on the folder's store, by its pid files and a command line that names the folder. */
function liveHubOf(stateDir: string): number | undefined {
  const dirs = new Set([stateDir, realpathSync(stateDir)]);
  for (const name of readdirSync(stateDir)) {
    if (!/^nats-server.*\.pid$/.test(name)) continue;
    const pid = Number(readText(join(stateDir, name))?.trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) continue;
    const args = readText(`/proc/${pid}/cmdline`)?.split("\0");
    // Without /proc an alive pid is taken at its word; with it, a pid reused by another program is not a hub.
    if (args === undefined || args.some((a) => [...dirs].some((d) => a.startsWith(`${d}/`)))) return pid;
  }
  return undefined;
}
