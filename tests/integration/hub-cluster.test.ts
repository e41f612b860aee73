import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { STORE_STREAMS, type DeployEvent } from "../../src/core/protocol";
import { leafBesideStack } from "../support/deployTopology";
import { ALCHEMIST_BIN, REPO, freePortRuns, isAlive, runCli, stackCreds, startStack, waitFor, type RunningStack } from "../support/stack";

/**
 * Issue 17: `alchemist up --hub-nodes 3` runs a three-member JetStream cluster on loopback,
 * every store in three copies; losing the member that leads the event stream in the middle of
 * a deployment loses nothing.
 */
describe("a three-member hub", () => {
  let stack: RunningStack;
  let leaf: Awaited<ReturnType<typeof leafBesideStack>>;
  let ports: Awaited<ReturnType<typeof freePortRuns>>;
  const LEAF = "cluster-leaf";
  const members = ["alchemist-hub", "alchemist-hub-2", "alchemist-hub-3"];
  const pidFile = (i: number) => join(stack.stateDir, `nats-server${i === 0 ? "" : `-${i + 1}`}.pid`);
  const servers = () => members.map((_, i) => `nats://127.0.0.1:${ports.client + i}`).join(",");
  /** What member i's monitoring port says of a stream (its own copy). */
  const streamOn = async (i: number, stream: string) => {
    const jsz = (await (await fetch(`http://127.0.0.1:${ports.monitor + i}/jsz?streams=true`)).json()) as { account_details?: { stream_detail?: { name: string; state: { messages: number; last_seq: number } }[] }[] };
    return jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((d) => d.name === stream)?.state;
  };

  beforeAll(async () => {
    ports = await freePortRuns(3);
    stack = await startStack({ ports, args: ["--hub-nodes", "3"], timeoutMs: 90_000 });
    leaf = await leafBesideStack(stack, LEAF, [0, 1, 2].map((i) => ports.leafnode + i));
  }, 150_000);
  afterAll(async () => {
    await leaf?.stop();
    await stack?.stop();
  });

  it("the leaf server may link to any member (alchemist creds --hub-leafnodes with every member)", async () => {
    const conf = readFileSync(join(stack.stateDir, "creds", `leaf-${LEAF}.conf`), "utf8");
    for (let i = 0; i < 3; i++) expect(conf).toContain(`"nats-leaf://127.0.0.1:${ports.leafnode + i}"`);
  });

  it("keeps every stream and bucket in three copies, one on each member", async () => {
    const jsm = await jetstreamManager(leaf.nc, { domain: "hub" });
    for (const name of Object.values(STORE_STREAMS)) {
      const info = await jsm.streams.info(name);
      expect(info.config.num_replicas, name).toBe(3);
      const copies = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].sort();
      expect(copies, name).toEqual([...members].sort());
    }
  });

  it("refuses a server that tries to join the cluster without the routes' password", async () => {
    const conf = join(stack.stateDir, "intruder.conf");
    writeFileSync(conf, `listen: "127.0.0.1:-1"\ncluster { name: "alchemist", listen: "127.0.0.1:-1", routes: ["nats-route://127.0.0.1:${ports.cluster}"] }\n`);
    const intruder = spawn("nats-server", ["-c", conf, "-DV"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    intruder.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await waitFor("the route to be refused", () => (/Authorization Violation|authentication error/i.test(out) ? true : undefined), 20_000);
      const routez = (await (await fetch(`http://127.0.0.1:${ports.monitor}/routez`)).json()) as { num_routes: number };
      expect(routez.num_routes).toBe(2); // the two other members, not the intruder
    } finally {
      intruder.kill("SIGKILL");
    }
  });

  it("the event stream's leader dies mid-deployment: the deployment ends, its events complete and gapless, nothing ran twice, the member comes back and catches up", async () => {
    const control = leaf.executor.control;
    writeFileSync(join(control, "build.sleep"), "4");
    const jsm = await jetstreamManager(leaf.nc, { domain: "hub" });
    const leader = (await jsm.streams.info(STORE_STREAMS.events)).cluster!.leader!;
    const victim = members.indexOf(leader);
    expect(victim).toBeGreaterThanOrEqual(0);

    const deploy = spawn(process.execPath, [ALCHEMIST_BIN, "deploy", join(REPO, "templates/minimal.json"), "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json", "--creds", stackCreds(stack.stateDir, "browser"), "--servers", servers()], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    deploy.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    deploy.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => deploy.once("exit", (code) => r(code)));

    await waitFor("the build to start", () => (/"step":"build"/.test(stdout) ? true : undefined), 30_000);
    const pid = Number(readFileSync(pidFile(victim), "utf8").trim());
    process.kill(pid, "SIGKILL");
    await waitFor("the member to be gone", () => (isAlive(pid) ? undefined : true));

    expect(await exited, `${stdout}\n${stderr}`).toBe(0);
    const events = stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; event?: DeployEvent }).flatMap((l) => (l.event ? [l.event] : []));
    expect(events.map((e) => e.seq).join(" ")).toBe(events.map((_, i) => i + 1).join(" "));
    expect(events.at(-1)!.type).toBe("succeeded");
    const deploymentId = events[0]!.deploymentId;
    // What the hub kept, read afresh: the same events, no gap, no duplicate.
    const kept = await leaf.events(deploymentId);
    expect(kept.map((e) => `${e.seq}:${e.type}`).join(" ")).toBe(events.map((e) => `${e.seq}:${e.type}`).join(" "));
    // Ran once: one build and one switch on the leaf.
    const calls = readFileSync(join(control, "calls.log"), "utf8").split("\n").filter((l) => l.includes(deploymentId) || /^(build|switch) /.test(l));
    expect(calls.filter((l) => l.startsWith("build ")).length).toBe(1);
    expect(calls.filter((l) => l.startsWith("switch ")).length).toBe(1);

    // `up` starts the member again; its copy of the event stream catches up with the others'.
    const back = await waitFor("the member to be back", async () => {
      const now = Number(readFileSync(pidFile(victim), "utf8").trim());
      return now !== pid && isAlive(now) ? now : undefined;
    }, 30_000);
    expect(back).not.toBe(pid);
    const other = (victim + 1) % 3;
    await waitFor("the member's copy to catch up", async () => {
      const [mine, theirs] = [await streamOn(victim, STORE_STREAMS.events), await streamOn(other, STORE_STREAMS.events)];
      return mine && theirs && mine.last_seq === theirs.last_seq && mine.messages === theirs.messages ? true : undefined;
    }, 30_000);
  }, 120_000);
});

describe("a single hub's state folder started as a cluster", () => {
  it("is refused, keeping its stores, rather than made anew empty; alchemist stores reports them", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "alchemist-grow-"));
    try {
      const ports = await freePortRuns(3);
      const single = await startStack({ ports, stateDir });
      await single.stop();
      await expect(startStack({ ports, stateDir, args: ["--hub-nodes", "3"], timeoutMs: 60_000 })).rejects.toThrow(/E_USAGE: .* holds the stores of a single hub, which a new cluster would not keep/);
      // What it held is still there for a single hub.
      const again = await startStack({ ports, stateDir });
      try {
        const report = await runCli(["stores", "--json", "--creds", stackCreds(stateDir), "--servers", `nats://127.0.0.1:${ports.client}`]);
        expect(report.code, report.stderr).toBe(0);
        const lines = report.stdout.trim().split("\n").map((l) => JSON.parse(l) as { stream: string; replicas: number });
        expect(lines.map((l) => l.stream).sort()).toEqual(Object.values(STORE_STREAMS).sort());
        for (const l of lines) expect(l.replicas, l.stream).toBe(1);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});
