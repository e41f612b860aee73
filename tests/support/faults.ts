import { Topology, startLeafServer, type ExecutorProc, type NatsServerProc } from "./deployTopology";
import { deployCommand } from "./commands";
import { createServer, connect as connectTcp, type Server, type Socket } from "node:net";
import { freePort } from "../../src/cli/stack/ports";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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

/**
 * A TCP relay in front of a port, to cut a link at the machine's edge (a leaf server's leafnode
 * link to its hub): `cut()` drops every connection and refuses new ones until `restore()`.
 */
export class LinkCutter {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** The port the relayed server listens on; set before the first connection comes. */
  target = 0;
  private constructor(readonly port: number) {}

  /**
   * A relay on a free port. Its port is known before the server behind it starts, so that the
   * server can advertise it (a hub tells its leaf servers where to reconnect: without that,
   * they would come back around the relay).
   */
  static async start(): Promise<LinkCutter> {
    const link = new LinkCutter(await freePort());
    await link.restore();
    return link;
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connectTcp(this.target, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("error", () => undefined);
        s.on("close", () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}

/** Runs `body` on a topology of its own, stopped afterwards whatever happens. */
export async function inTopology(body: (t: Topology) => Promise<void>): Promise<void> {
  const t = await Topology.start();
  try {
    await body(t);
  } finally {
    await t.stop();
  }
}

/**
 * Runs `body` on a topology of its own whose leaf server `leafName` reaches the hub only
 * through a LinkCutter (which the hub advertises, so a reconnect comes through it too).
 */
export async function inTopologyBehindRelay(leafName: string, body: (t: Topology, link: LinkCutter, leaf: NatsServerProc) => Promise<void>): Promise<void> {
  const link = await LinkCutter.start();
  const t = await Topology.start({ leafAdvertise: link.port });
  link.target = t.hub.leafPort;
  try {
    const leaf = await startLeafServer(t.dir, leafName, link.port);
    t.leaves.set(leafName, leaf);
    await body(t, link, leaf);
  } finally {
    await link.cut();
    await t.stop();
  }
}

/** Sends a deployment to `ex` whose build then sleeps for a minute, and returns it once the build has started. */
export async function deploymentInBuild(t: Topology, ex: ExecutorProc): Promise<ReturnType<typeof deployCommand>> {
  const held = deployCommand(ex.leafId);
  writeFileSync(join(ex.control, "build.sleep"), "60");
  await t.send(held);
  await t.waitFor(held.deploymentId, (es) => es.some((e) => e.type === "step-started" && e.step === "build"));
  return held;
}
