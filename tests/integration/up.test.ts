import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, runCli, startStack, freePorts, portArgs, waitFor, type RunningStack } from "../support/stack";

async function json(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

const executorConnected = (stack: RunningStack) => async () => {
  const connz = await json(`http://127.0.0.1:${stack.ports.monitor}/connz`);
  return connz.connections?.some((c: { name?: string }) => c.name === "alchemist-executor:local") ? true : undefined;
};

describe("alchemist up: the local stack", () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    if (stack && stack.process.exitCode === null) await stack.stop();
  });

  it("runs a hub with JetStream domain hub, WebSocket and leafnode ports", async () => {
    const varz = await json(`http://127.0.0.1:${stack.ports.monitor}/varz`);
    expect(varz.port).toBe(stack.ports.client);
    expect(varz.websocket.port).toBe(stack.ports.websocket);
    expect(varz.leaf.port).toBe(stack.ports.leafnode);
    const jsz = await json(`http://127.0.0.1:${stack.ports.monitor}/jsz`);
    expect(jsz.config.domain).toBe("hub");
    expect(jsz.config.store_dir).toContain(stack.stateDir);
  });

  it("runs a local executor connected to the hub", async () => {
    await expect(waitFor("executor connection", executorConnected(stack))).resolves.toBe(true);
  });

  it("serves the web app and tells it the hub's WebSocket port", async () => {
    const html = await (await fetch(stack.url)).text();
    expect(html).toContain('<div id="root">');
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/index-[^"]+\.js"/);
    const config = await json(new URL("/alchemist-config.json", stack.url).href);
    // A single hub is its only member.
    expect(config).toEqual({ hubWebSocketPort: stack.ports.websocket, hubWebSocketPorts: [stack.ports.websocket], leafId: "local" });
    const deep = await fetch(new URL("/some/route", stack.url));
    expect(await deep.text()).toContain('<div id="root">');
    const escape = await fetch(new URL("/..%2f..%2fetc/passwd", stack.url));
    expect(await escape.text()).not.toContain("root:x:0:0");
  });

  it("restarts a hub that died, and the executor reconnects", async () => {
    const before = stack.hubPid();
    process.kill(before, "SIGKILL");
    const after = await waitFor("a new hub pid", () => {
      const pid = stack.hubPid();
      return pid !== before && isAlive(pid) ? pid : undefined;
    });
    expect(after).not.toBe(before);
    await expect(waitFor("executor reconnection", executorConnected(stack))).resolves.toBe(true);
  });

  it("refuses a second up on the same state folder, even on other ports, and leaves the first one's hub and config alone", async () => {
    // Two nats-servers on one JetStream store leave its buckets broken for good (the leaves bucket reads empty).
    const hub = stack.hubPid();
    const conf = readFileSync(join(stack.stateDir, "hub.conf"), "utf8");
    const second = await runCli(["up", "--state-dir", stack.stateDir, ...portArgs(await freePorts())]);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `error E_STATE_DIR: state folder ${stack.stateDir} is in use by alchemist up (pid ${stack.process.pid}); stop that one first (Ctrl-C in its terminal, or kill ${stack.process.pid}), or give this one another --state-dir`,
    );
    expect(stack.hubPid()).toBe(hub);
    expect(isAlive(hub)).toBe(true);
    expect(readFileSync(join(stack.stateDir, "hub.conf"), "utf8")).toBe(conf);
    await expect(waitFor("executor connection", executorConnected(stack))).resolves.toBe(true);
  });

  it("stops every child on SIGTERM, leaving no nats-server behind", async () => {
    const hub = stack.hubPid();
    const connz = await json(`http://127.0.0.1:${stack.ports.monitor}/connz`);
    expect(connz.num_connections).toBeGreaterThan(0);
    const code = await stack.stop("SIGTERM");
    expect(code).toBe(0);
    expect(isAlive(hub)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${stack.ports.monitor}/healthz`)).rejects.toThrow();
  });
});

describe("alchemist up: the state folder's lock", () => {
  const deadPid = () => spawnSync("true").pid;

  it("a lock left by an up that is gone is taken over, held while this one runs and let go when it stops", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "alchemist-lock-"));
    const lock = join(stateDir, "up.lock");
    writeFileSync(lock, `${deadPid()} 5\n`);
    const stack = await startStack({ stateDir });
    try {
      // Its pid and start time (clock ticks since boot).
      expect(readFileSync(lock, "utf8")).toMatch(new RegExp(`^${stack.process.pid} \\d+\\n$`));
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    expect(existsSync(lock)).toBe(false);
  });

  it("refuses while the hub of an up that is gone still runs on the folder", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "alchemist-lock-"));
    writeFileSync(join(stateDir, "up.lock"), `${deadPid()} 5\n`);
    // Stands in for a nats-server the reaper has not ended yet: alive, its command line naming the folder.
    const hub = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)", join(stateDir, "hub.conf")], { stdio: "ignore" });
    try {
      writeFileSync(join(stateDir, "nats-server.pid"), `${hub.pid}\n`);
      const r = await runCli(["up", "--state-dir", stateDir, ...portArgs(await freePorts())]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`E_STATE_DIR: state folder ${stateDir}: a nats-server of an earlier alchemist up still runs on it (pid ${hub.pid})`);
    } finally {
      hub.kill("SIGKILL");
    }
  });
});

describe("alchemist up: bad input gives one clear line and a non-zero exit", () => {
  const oneLine = (r: { code: number | null; stdout: string; stderr: string }) => {
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return lines[0]!;
  };
  const state = () => mkdtempSync(join(tmpdir(), "alchemist-bad-"));

  it.each([
    ["--http-port", "80a"],
    ["--client-port", "0"],
    ["--websocket-port", "70000"],
    ["--monitor-port", "-1"],
  ])("%s %s", async (flag, value) => {
    const line = oneLine(await runCli(["up", "--state-dir", state(), `${flag}=${value}`]));
    expect(line).toContain("E_BAD_PORT");
    expect(line).toContain(flag);
    expect(line).toContain(value);
  });

  it("a bad port in the environment names the variable", async () => {
    const line = oneLine(await runCli(["up", "--state-dir", state()], { ...process.env, ALCHEMIST_HTTP_PORT: "http" }));
    expect(line).toMatch(/E_BAD_PORT.*ALCHEMIST_HTTP_PORT/);
  });

  it("a port in use is named", async () => {
    const ports = await freePorts();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(ports.websocket, "127.0.0.1", () => r()));
    try {
      const line = oneLine(await runCli(["up", "--state-dir", state(), ...portArgs(ports)]));
      expect(line).toContain("E_PORT_IN_USE");
      expect(line).toContain(`websocket port ${ports.websocket}`);
    } finally {
      blocker.close();
    }
  });

  it("the same port twice is named, and the failed start leaves the state folder unlocked", async () => {
    const ports = await freePorts();
    const dir = state();
    const line = oneLine(await runCli(["up", "--state-dir", dir, ...portArgs({ ...ports, monitor: ports.client })]));
    expect(line).toMatch(/E_PORT_CLASH: monitor and client are both set to port \d+/);
    expect(existsSync(join(dir, "up.lock"))).toBe(false);
  });

  it("a missing nats-server binary says what to install", async () => {
    const ports = await freePorts();
    const line = oneLine(await runCli(["up", "--state-dir", state(), ...portArgs(ports), "--nats-server", "/nonexistent/nats-server"]));
    expect(line).toContain("E_NATS_MISSING");
    expect(line).toContain("/nonexistent/nats-server");
    expect(line).toContain("apt-get install nats-server");
  });

  it("nats-server not on PATH, with installing switched off, says what to install", async () => {
    const ports = await freePorts();
    const emptyBin = mkdtempSync(join(tmpdir(), "alchemist-path-"));
    const line = oneLine(await runCli(["up", "--no-install", "--state-dir", state(), ...portArgs(ports)], { ...process.env, PATH: emptyBin }));
    expect(line).toMatch(/E_NATS_MISSING: nats-server is not on PATH; install the Debian package/);
  });

  it("a nats-server that will not start is reported", async () => {
    const ports = await freePorts();
    const fake = join(mkdtempSync(join(tmpdir(), "alchemist-fake-")), "nats-server");
    writeFileSync(fake, "#!/bin/sh\necho broken >&2\nexit 3\n");
    chmodSync(fake, 0o755);
    const r = await runCli(["up", "--state-dir", state(), ...portArgs(ports), "--nats-server", fake]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("E_NATS_FAILED");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["a path under a file", "/etc/hostname/state"],
    ["a path in /proc", "/proc/alchemist-state"],
  ])("an unwritable state folder (%s) is named", async (_what, dir) => {
    const line = oneLine(await runCli(["up", "--state-dir", dir]));
    expect(line).toContain("E_STATE_DIR");
    expect(line).toContain(dir);
  });

  it.each([["a dot", "leaf.one"], ["129 characters", "x".repeat(129)]])("a leaf id with %s is refused before anything starts", async (_, id) => {
    expect(oneLine(await runCli(["up", "--state-dir", state(), "--leaf-id", id]))).toMatch(/E_USAGE: --leaf-id must be 1 to 128/);
  });

  it("an unknown option and an unknown command are usage errors", async () => {
    expect(oneLine(await runCli(["up", "--bogus"]))).toMatch(/E_USAGE: .*--bogus/);
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error E_USAGE: unknown command "frobnicate"/);
  });
});
