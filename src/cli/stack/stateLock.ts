import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AlchemistFailure, err, reasonOf } from "../../core/errors";

/**
 * One `up` per state folder. A second one on other ports would start a second nats-server on
 * the same JetStream store (nats-server does not lock it) and rewrite hub.conf and the pid
 * file under the first: the store's buckets then hold several messages per key, and the
 * leaves bucket reads empty even after both are stopped. So `up` holds `<state>/up.lock`,
 * made with O_EXCL and holding its pid, from before it writes anything until it has stopped
 * its children. A lock whose process is gone (`up` was SIGKILLed; its reaper ended the
 * children) is taken over.
 */
export const STATE_LOCK_FILE = "up.lock";

export interface StateLock {
  release(): void;
}

export function lockStateDir(stateDir: string, pid = process.pid): StateLock {
  const file = join(stateDir, STATE_LOCK_FILE);
  // Twice at most: the second try follows the removal of a lock whose process is gone.
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o644);
      try {
        writeSync(fd, `${pid}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          // Only our own: a lock another `up` took over after a stop past its deadline is not ours to remove.
          if (holderOf(file) === pid) rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir}: cannot make ${STATE_LOCK_FILE} (${reasonOf(e)}); choose another with --state-dir`));
      }
      const holder = holderOf(file);
      if (holder !== undefined && (holder === pid || isUp(holder))) {
        throw new AlchemistFailure(
          err("E_STATE_DIR", `state folder ${stateDir} is in use by alchemist up (pid ${holder}); stop that one first (Ctrl-C in its terminal, or kill ${holder}), or give this one another --state-dir`),
        );
      }
      // `up` gone, but its hub not yet: the reaper ends it within seconds of `up`'s death.
      const hub = liveHubOf(stateDir);
      if (hub !== undefined) {
        throw new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir}: the nats-server of an alchemist up that is gone still runs on it (pid ${hub}); wait for it to stop, or kill ${hub}, and start again`));
      }
      if (attempt > 0) throw new AlchemistFailure(err("E_STATE_DIR", `state folder ${stateDir}: ${STATE_LOCK_FILE} is held by a process that is gone and could not be taken over; remove ${file}`));
      rmSync(file, { force: true });
    }
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of a nats-server still running on the folder's store, by the pid files hub.conf names. */
function liveHubOf(stateDir: string): number | undefined {
  for (const name of readdirSync(stateDir)) {
    if (!/^nats-server(-\d+)?\.pid$/.test(name)) continue;
    const pid = holderOf(join(stateDir, name));
    // By its config file's path: the pid of a hub that is gone may be another program's by now.
    if (pid !== undefined && runs(pid, (args) => args.some((a) => a.startsWith(`${stateDir}/`)))) return pid;
  }
  return undefined;
}

/** Alive, and by its command line an `alchemist up`: a pid reused by another program holds no lock. */
const isUp = (pid: number): boolean => runs(pid, (args) => args.includes("up"));

/** Whether `pid` is alive and its command line's words pass `test`. */
function runs(pid: number, test: (args: string[]) => boolean): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: alive, under another user; it may well be an `up` run as root.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return test(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"));
  } catch {
    // No /proc (not Linux): an alive process is taken to be the one that made the lock.
    return true;
  }
}
