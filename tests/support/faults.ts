import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/** Waits until `condition` holds, checking every 100 ms; fails naming `what` after `timeoutMs` (a deadline, not a measurement). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


/** Mounts a tmpfs of `size` (e.g. "1m") at `dir`: a disk that fills up. Needs root; false when it cannot be made here. */
export function mountSmallDisk(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function unmount(dir: string): void {
  try {
    execFileSync("umount", [dir], { stdio: "ignore" });
  } catch {
    // not mounted
  }
}
