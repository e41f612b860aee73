import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { isAlchemistFailure } from "../../core/errors";
import { lockStateDir, STATE_LOCK_FILE } from "./stateLock";

const folder = () => mkdtempSync(join(tmpdir(), "alchemist-lock-unit-"));
const lockOf = (dir: string) => readFileSync(join(dir, STATE_LOCK_FILE), "utf8");
const deadPid = () => spawnSync("true").pid!;
const ownStart = () => {
  const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
};
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isAlchemistFailure(e)) return `${e.error.code}: ${e.error.message}`;
    throw e;
  }
  throw new Error("not refused");
};

describe("the state folder's lock", () => {
  it("is held by one taker at a time, names it by pid and start time, and is gone once released", () => {
    const dir = folder();
    const lock = lockStateDir(dir);
    expect(lockOf(dir)).toBe(`${process.pid} ${ownStart()}\n`);
    expect(refusal(() => lockStateDir(dir))).toBe(
      `E_STATE_DIR: state folder ${dir} is in use by alchemist up (pid ${process.pid}); stop that one first (Ctrl-C in its terminal, or kill ${process.pid}), or give this one another --state-dir`,
    );
    lock.release();
    expect(existsSync(join(dir, STATE_LOCK_FILE))).toBe(false);
    lockStateDir(dir).release();
    // Nothing of the taking is left beside it.
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ["a process that is gone", () => `${deadPid()} 123\n`],
    // The same pid again (a restarted container's pid 1, the next boot), started at another time: not the holder.
    ["a pid now another process's", () => `${process.pid} 1\n`],
  ])("left by %s, it is taken over", (_, text) => {
    const dir = folder();
    writeFileSync(join(dir, STATE_LOCK_FILE), text());
    const lock = lockStateDir(dir, 4_000_001);
    expect(lockOf(dir)).toBe("4000001 \n");
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("one it cannot read is refused while young (being made by a start it does not know) and taken over once old", () => {
    const dir = folder();
    const file = join(dir, STATE_LOCK_FILE);
    writeFileSync(file, "garbage");
    expect(refusal(() => lockStateDir(dir))).toMatch(/is in use by an alchemist up that is starting; stop that one first \(Ctrl-C in its terminal\)/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    lockStateDir(dir).release();
  });

  it("refuses, and lets go, when a nats-server of an earlier up still runs on the folder", () => {
    const dir = folder();
    const hub = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)", join(dir, "hub.conf")], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, "nats-server-single-copy.pid"), `${hub.pid}\n`);
      expect(refusal(() => lockStateDir(dir))).toBe(
        `E_STATE_DIR: state folder ${dir}: a nats-server of an earlier alchemist up still runs on it (pid ${hub.pid}); wait for it to stop, or kill ${hub.pid}, and start again`,
      );
      expect(existsSync(join(dir, STATE_LOCK_FILE))).toBe(false);
    } finally {
      hub.kill("SIGKILL");
    }
    // A pid file whose process is gone, or is another program, holds nothing.
    writeFileSync(join(dir, "nats-server.pid"), `${deadPid()}\n`);
    writeFileSync(join(dir, "nats-server-single-copy.pid"), `${process.pid}\n`);
    lockStateDir(dir).release();
  });

  describe("taken by processes that start at the same moment", () => {
    let script: string;
    beforeAll(async () => {
      const dir = folder();
      // Each waits for the same instant, tries, says whether it got the lock, and holds it a while.
      writeFileSync(
        join(dir, "race.ts"),
        `import { lockStateDir } from ${JSON.stringify(join(__dirname, "stateLock.ts"))};
const [stateDir, at] = process.argv.slice(2);
while (Date.now() < Number(at)) {}
try { lockStateDir(stateDir!); console.log("got"); setTimeout(() => {}, 1500); } catch { console.log("refused"); }`,
      );
      script = join(dir, "race.mjs");
      await build({ entryPoints: [join(dir, "race.ts")], outfile: script, bundle: true, platform: "node", format: "esm", logLevel: "silent" });
    });

    const race = async (dir: string, takers: number): Promise<string[]> => {
      const at = Date.now() + 700;
      const runs = Array.from({ length: takers }, () => {
        const child = spawn(process.execPath, [script, dir, String(at)], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        return new Promise<string>((resolve) => child.once("exit", () => resolve(out.trim())));
      });
      return (await Promise.all(runs)).sort();
    };

    it.each([
      ["with no lock before", (_dir: string) => undefined],
      ["with a stale lock before", (dir: string) => writeFileSync(join(dir, STATE_LOCK_FILE), `${deadPid()} 5\n`)],
    ])("%s, exactly one of them gets it, round after round", async (_, before) => {
      for (let round = 0; round < 4; round++) {
        const dir = folder();
        before(dir);
        expect(await race(dir, 4)).toEqual(["got", "refused", "refused", "refused"]);
      }
    }, 60_000);
  });
});
