import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ProcessGroups } from "../../src/executor/process";

// Issue 15: what the executor records of the process groups it starts, so that its next start
// can end those a SIGKILL left running — and only those.

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-groups-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("process groups left by a killed executor", () => {
  const started = (dir: string, bootId: string) => {
    const child = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
    onTestFinished(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // ended by the test
      }
    });
    new ProcessGroups(dir, bootId).add(child.pid!);
    return child;
  };
  const exited = (child: ReturnType<typeof spawn>) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.signalCode) : child.once("exit", (_c, s) => r(s))));

  it("are ended on start, and forgotten", async () => {
    const dir = folder();
    const child = started(dir, "boot-1");
    expect(await new ProcessGroups(dir, "boot-1").endLeftovers()).toEqual([child.pid]);
    expect(await exited(child)).toBe("SIGKILL");
    expect(await new ProcessGroups(dir, "boot-1").endLeftovers()).toEqual([]);
  });

  it("recorded in another boot, or whose pid now belongs to another process, are not touched", async () => {
    const dir = folder();
    const other = started(dir, "boot-0");
    const reused = started(folder(), "boot-1");
    // The same pid, recorded with another start time: not the process that was started then.
    writeFileSync(join(dir, String(reused.pid)), "boot-1 1\n");
    expect(await new ProcessGroups(dir, "boot-1").endLeftovers()).toEqual([]);
    expect(other.exitCode === null && other.signalCode === null).toBe(true);
    expect(reused.exitCode === null && reused.signalCode === null).toBe(true);
  });
});
