// Deploy protocol benchmark, through a hub and a leaf server linked as leafnodes, with the real
// executor (fake nixos-rebuild on PATH, as in the tests):
//  1. latency from publishing a deploy command on the hub to its `accepted` event, beside a
//     bare NATS request/reply between the same two servers (client on the hub, responder a
//     process of its own on the leaf, as the executor is) and beside the same command → event
//     path through two JetStream streams with a trivial responder (what the protocol's
//     persistence costs by itself); all three measured in the same run, in two conditions —
//     from idle and back to back — since on a shared machine the condition moves every figure
//     more than the path does. Target: ratio to request/reply ≤ 3 at p50;
//  2. sustained step-log throughput from a build that prints 100 000 lines, counting every
//     line back (none may be lost).
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, RetentionPolicy, StorageType } from "@nats-io/jetstream";
import { Topology } from "../tests/support/deployTopology";
import { control, deployCommand } from "../tests/support/commands";
import { signedMessage } from "../tests/support/signing";
import { commandSubject, eventSubject, isTerminal, type DeployEvent } from "../src/core/protocol";

const ROUNDS = 40;
const WARMUP = 3;
/** How long the machine is left quiet before each round measured from idle. */
const QUIET_MS = 30;
const LINES = 100_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

/**
 * The baselines' far end, in its own process on the leaf: echoes `bench.echo` requests and
 * answers each `bench.cmd` message of the work-queue stream with a `bench.evt` message.
 */
async function respond(port: number): Promise<void> {
  const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
  nc.subscribe("bench.echo", { callback: (_e, m) => m.respond(m.data) });
  const js = jetstream(nc, { domain: "hub" });
  const messages = await (await js.consumers.get("BENCH_CMD", "echo")).consume({ max_messages: 64, expires: 5000 });
  await nc.flush();
  console.log("ready");
  for await (const m of messages) {
    await js.publish("bench.evt", m.data);
    m.ack();
  }
}

async function startResponder(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--responder", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`the responder exited (${code})`)));
  });
  return child;
}

async function main(): Promise<void> {
  const t = await Topology.start();
  let responder: ChildProcess | undefined;
  try {
    const leaf = await t.addLeaf("bench-leaf");
    const ex = await t.startExecutor("bench-leaf", leaf);

    // The baselines' far end is a separate process on the leaf, as the executor is: an answer
    // from inside the measuring process would skip the wake-up of a second process, which the
    // deploy path cannot.
    await t.jsm.streams.add({ name: "BENCH_CMD", subjects: ["bench.cmd"], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
    await t.jsm.streams.add({ name: "BENCH_EVT", subjects: ["bench.evt"], storage: StorageType.File });
    await t.jsm.consumers.add("BENCH_CMD", { durable_name: "echo", ack_policy: AckPolicy.Explicit });
    responder = await startResponder(leaf.port);
    await new Promise((r) => setTimeout(r, 300)); // let the subscription cross the leaf link

    const requestReply = async () => {
      const t0 = performance.now();
      await t.nc.request("bench.echo", "x", { timeout: 5000 });
      return performance.now() - t0;
    };
    // The same shape as a deploy command with nothing of the executor in it: publish to a
    // work-queue stream on the hub, a pull consumer on the leaf, the answer published to a
    // second stream, a plain subscriber on the hub sees it.
    const jetStreamRound = async () => {
      let t0 = 0;
      const got = new Promise<number>((resolve) => {
        t.nc.subscribe("bench.evt", { max: 1, callback: () => resolve(performance.now() - t0) });
      });
      await t.nc.flush();
      t0 = performance.now();
      await t.js.publish("bench.cmd", "x");
      return got;
    };
    /** Publishes a deploy command; `accepted` is the time to its accepted event. */
    const deploy = async () => {
      const cmd = deployCommand("bench-leaf", { action: "build" });
      // Signed before the clock starts, as the browser signs before it publishes: nkeys' pure-JS
      // Ed25519 is the sender's cost (about 10 ms here), not the path's. The leaf's check is measured.
      const signed = signedMessage(JSON.stringify(cmd));
      let t0 = 0;
      let building!: () => void;
      let ended!: () => void;
      const started = new Promise<void>((resolve) => (building = resolve));
      const finished = new Promise<void>((resolve) => (ended = resolve));
      const accepted = new Promise<number>((resolve) => {
        const s = t.nc.subscribe(eventSubject("bench-leaf", cmd.deploymentId), {
          callback: (_e, m) => {
            const e = m.json<DeployEvent>();
            if (e.type === "accepted") resolve(performance.now() - t0);
            if (e.type === "step-started" && e.step === "build") building();
            if (isTerminal(e)) {
              s.unsubscribe();
              ended();
            }
          },
        });
      });
      await t.nc.flush();
      t0 = performance.now();
      await t.js.publish(commandSubject("bench-leaf"), signed.data, { msgID: cmd.commandId, headers: signed.headers });
      return { id: cmd.deploymentId, accepted: await accepted, started, finished };
    };

    type Deployed = Awaited<ReturnType<typeof deploy>>;
    /** WARMUP + ROUNDS rounds of the three paths one after another, `pause` before each. */
    const sample = async (pause: () => Promise<unknown>, then: (d: Deployed) => Promise<unknown>) => {
      const r = { rr: [] as number[], js: [] as number[], accept: [] as number[] };
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        await pause();
        const rr = await requestReply();
        await pause();
        const js = await jetStreamRound();
        await pause();
        const d = await deploy();
        await then(d);
        if (i < WARMUP) continue;
        r.rr.push(rr);
        r.js.push(js);
        r.accept.push(d.accepted);
      }
      return r;
    };

    // 1. From idle, the way an operator's command arrives: each path after the machine has been
    //    quiet for a moment, each deployment awaited to its end on its live events (polling the
    //    stream would leave short-lived consumers on the events stream, slowing every publish).
    writeFileSync(join(ex.control, "build.lines"), "0");
    const idle = await sample(() => new Promise((r) => setTimeout(r, QUIET_MS)), (d) => d.finished);

    // 2. Back to back: commands for an instance that is busy are accepted (and queued) while a
    //    long build runs, one right after the other, as the request/reply rounds beside them.
    writeFileSync(join(ex.control, "build.sleep"), "120");
    const blocker = await deploy();
    await blocker.started;
    const queued: Deployed[] = [];
    const hot = await sample(async () => undefined, async (d) => queued.push(d));
    for (const d of [...queued, blocker]) await t.send(control("bench-leaf", d.id, "cancel"));
    await Promise.all([blocker, ...queued].map((d) => d.finished));
    writeFileSync(join(ex.control, "build.sleep"), "0");

    for (const [label, r] of [["from idle", idle], ["back to back", hot]] as const) {
      console.log(`${label} (n=${r.accept.length}):`);
      console.log(`  command → accepted            p50 ${ms(pct(r.accept, 50))}, p99 ${ms(pct(r.accept, 99))}`);
      console.log(`  bare request/reply hub↔leaf   p50 ${ms(pct(r.rr, 50))}, p99 ${ms(pct(r.rr, 99))}`);
      console.log(`  bare JetStream command→event  p50 ${ms(pct(r.js, 50))}, p99 ${ms(pct(r.js, 99))}`);
      console.log(`  ratio to request/reply p50 ${(pct(r.accept, 50) / pct(r.rr, 50)).toFixed(2)} (target ≤ 3), p99 ${(pct(r.accept, 99) / pct(r.rr, 99)).toFixed(2)}; to bare JetStream p50 ${(pct(r.accept, 50) / pct(r.js, 50)).toFixed(2)}`);
    }

    // Throughput: one build printing LINES lines.
    writeFileSync(join(ex.control, "build.lines"), String(LINES));
    const cmd = deployCommand("bench-leaf", { action: "build" });
    const seen = new Set<number>();
    let first = 0;
    let last = 0;
    let events = 0;
    const done = new Promise<void>((resolve) => {
      const s = t.nc.subscribe(eventSubject("bench-leaf", cmd.deploymentId), {
        callback: (_e, m) => {
          const e = m.json<DeployEvent>();
          if (e.type === "step-log" && e.step === "build") {
            for (const line of e.line.split("\n")) {
              const n = /^build output line (\d+)$/.exec(line);
              if (!n) continue;
              if (!first) first = performance.now();
              last = performance.now();
              seen.add(Number(n[1]));
            }
            events++;
          }
          if (isTerminal(e)) {
            s.unsubscribe();
            resolve();
          }
        },
      });
    });
    await t.nc.flush();
    await t.send(cmd);
    await done;
    const seconds = (last - first) / 1000;
    console.log(`step-log: ${seen.size} of ${LINES} lines in ${events} events over ${seconds.toFixed(2)} s = ${Math.round(seen.size / seconds)} lines/s; lost ${LINES - seen.size}`);
    if (seen.size !== LINES) process.exitCode = 1;
  } finally {
    responder?.kill();
    await t.stop();
  }
}

if (process.argv[2] === "--responder") await respond(Number(process.argv[3]));
else await main();
