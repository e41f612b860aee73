import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { DesignStore } from "../../src/client/designStore";
import { DEPLOYMENTS_BUCKET, FLAKES_BUCKET, STORE_STREAMS, deploymentKey, type DeployEvent } from "../../src/core/protocol";
import { leafBesideStack, readEvents } from "../support/deployTopology";
import { ALCHEMIST_BIN, REPO, connectWithCreds, freePortRuns, isAlive, runCli, stackCreds, startStack, waitFor, type RunningStack } from "../support/stack";

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

  it("the files that hold the routes' password are readable by their owner only", () => {
    for (const f of ["hub.conf", "hub-2.conf", "hub-3.conf", "auth/route-password"]) expect((statSync(join(stack.stateDir, f)).mode & 0o777).toString(8), f).toBe("600");
    expect(readFileSync(join(stack.stateDir, "hub-2.conf"), "utf8")).toContain(readFileSync(join(stack.stateDir, "auth/route-password"), "utf8").trim());
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
  it("keeps what the single hub held: every store's messages are copied into the cluster's three copies, once", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "alchemist-grow-"));
    const LEAF = "grow-leaf";
    try {
      const ports = await freePortRuns(3);
      const single = await startStack({ ports, stateDir });
      // As an older `up` left it: world-readable. The cluster's start below must close it.
      chmodSync(join(stateDir, "hub.conf"), 0o644);
      const leaf = await leafBesideStack(single, LEAF);
      let deploymentId: string;
      let heldEvents: string;
      let designRevisions: number;
      try {
        const run = await runCli(["deploy", join(REPO, "templates/minimal.json"), "--instance", "cim-minimal", "--leaf", LEAF, "--yes", "--watch", "--json", "--creds", stackCreds(stateDir, "browser"), "--servers", `nats://127.0.0.1:${ports.client}`], process.env, 90_000);
        expect(run.code, run.stderr).toBe(0);
        deploymentId = (JSON.parse(run.stdout.trim().split("\n")[1]!) as { deploymentId: string }).deploymentId;
        heldEvents = (await leaf.events(deploymentId)).map((e) => `${e.seq}:${e.type}`).join(" ");
        const nc = await single.connect("browser");
        try {
          const designs = new DesignStore(nc, "hub", undefined, "browser");
          let last = 0;
          for (const nodes of [["a"], ["a", "b"]]) {
            const r = await designs.save("d-grow", { version: 2, name: "grow", nodes: nodes.map((id) => ({ id, kind: "nats-hub", position: { x: 0, y: 0 }, config: {} })), edges: [] }, last);
            if (!r.ok) throw new Error("save refused");
            last = r.revision;
          }
          designRevisions = (await designs.history("d-grow")).length;
        } finally {
          await nc.close();
        }
      } finally {
        await leaf.stop();
        await single.stop();
      }
      expect(heldEvents.split(" ").at(-1)).toMatch(/:succeeded$/);

      const readCluster = async () => {
        const nc = await connectWithCreds(`nats://127.0.0.1:${ports.client}`, stackCreds(stateDir, "admin"));
        try {
          const js = jetstream(nc, { domain: "hub" });
          const jsm = await jetstreamManager(nc, { domain: "hub" });
          const summary = await (await new Kvm(js).open(DEPLOYMENTS_BUCKET)).get(deploymentKey(LEAF, deploymentId));
          const files = await (await new Kvm(js).open(FLAKES_BUCKET)).get(deploymentKey(LEAF, deploymentId));
          return {
            replicas: await Promise.all(Object.values(STORE_STREAMS).map(async (name) => (await jsm.streams.info(name)).config.num_replicas)),
            events: (await readEvents(js, jsm, deploymentId)).map((e) => `${e.seq}:${e.type}`).join(" "),
            state: summary?.json<{ state: string }>().state,
            files: files ? Object.keys(files.json<Record<string, string>>()).includes("flake.nix") : false,
            designs: (await new DesignStore(nc, "hub", undefined, "admin").history("d-grow")).map((r) => r.save.design.nodes.length),
          };
        } finally {
          await nc.close();
        }
      };
      const expected = { replicas: Object.values(STORE_STREAMS).map(() => 3), events: heldEvents, state: "succeeded", files: true, designs: [1, 2] };
      const cluster = await startStack({ ports, stateDir, args: ["--hub-nodes", "3"], timeoutMs: 90_000 });
      try {
        expect(cluster.output()).toMatch(/copied the single hub's stores into the cluster: CIM_DEPLOY_COMMANDS 0, CIM_DEPLOY_EVENTS \d+/);
        expect(existsSync(join(stateDir, "jetstream-single.copied"))).toBe(true);
        expect((statSync(join(stateDir, "hub.conf")).mode & 0o777).toString(8)).toBe("600");
        expect(designRevisions).toBe(2);
        expect(await readCluster()).toEqual(expected);
      } finally {
        await cluster.stop();
      }
      // Started again, it copies nothing more: the events are there once.
      const again = await startStack({ ports, stateDir, args: ["--hub-nodes", "3"], timeoutMs: 90_000 });
      try {
        expect(again.output()).not.toMatch(/copied the single hub's stores/);
        expect(await readCluster()).toEqual(expected);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 400_000);
});
