// Deploy protocol benchmark, through a hub and a leaf server linked as leafnodes, with the real
// executor (fake nixos-rebuild on PATH, as in the tests):
//  1. latency from publishing a deploy command on the hub to its `accepted` event, beside a
//     bare NATS request/reply between the same two servers (client on the hub, responder on
//     the leaf), measured in the same run: target ratio ≤ 3 at p50; and, to show what the
//     protocol's persistence costs by itself, beside the same command → event path through two
//     JetStream streams with a trivial responder in place of the executor;
//  2. sustained step-log throughput from a build that prints 100 000 lines, counting every
//     line back (none may be lost).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, RetentionPolicy, StorageType } from "@nats-io/jetstream";
import { Topology } from "../tests/support/deployTopology";
import { deployCommand } from "../tests/support/commands";
import { eventSubject, type DeployEvent } from "../src/core/protocol";

const ROUNDS = 40;
const LINES = 100_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

const t = await Topology.start();
try {
  const leaf = await t.addLeaf("bench-leaf");
  const ex = await t.startExecutor("bench-leaf", leaf);

  // Baseline: request/reply hub → leaf → hub.
  const onLeaf = await connect({ servers: `nats://127.0.0.1:${leaf.port}` });
  const sub = onLeaf.subscribe("bench.echo", { callback: (_e, m) => m.respond(m.data) });
  await onLeaf.flush();
  await new Promise((r) => setTimeout(r, 300)); // let the subscription cross the leaf link
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS + 5; i++) {
    const t0 = performance.now();
    await t.nc.request("bench.echo", "x", { timeout: 5000 });
    if (i >= 5) bare.push(performance.now() - t0);
  }
  sub.unsubscribe();

  // Second baseline: the same shape as a deploy command with nothing of the executor in it —
  // publish to a work-queue stream on the hub, a pull consumer on the leaf, publish the answer
  // to a second stream, a plain subscriber on the hub sees it.
  const leafJs = jetstream(onLeaf, { domain: "hub" });
  await t.jsm.streams.add({ name: "BENCH_CMD", subjects: ["bench.cmd"], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
  await t.jsm.streams.add({ name: "BENCH_EVT", subjects: ["bench.evt"], storage: StorageType.File });
  await t.jsm.consumers.add("BENCH_CMD", { durable_name: "echo", ack_policy: AckPolicy.Explicit });
  const echo = await (await leafJs.consumers.get("BENCH_CMD", "echo")).consume({ max_messages: 64, expires: 5000 });
  const echoing = (async () => {
    for await (const m of echo) {
      await leafJs.publish("bench.evt", m.data);
      m.ack();
    }
  })();
  const jsBare: number[] = [];
  for (let i = 0; i < ROUNDS + 5; i++) {
    let t0 = 0;
    const got = new Promise<number>((resolve) => {
      const s = t.nc.subscribe("bench.evt", { max: 1, callback: () => resolve(performance.now() - t0) });
      void s;
    });
    await t.nc.flush();
    t0 = performance.now();
    await t.js.publish("bench.cmd", String(i));
    const took = await got;
    if (i >= 5) jsBare.push(took);
  }
  echo.stop();
  await echoing;
  await onLeaf.close();

  // Command → accepted, one deployment at a time (each runs to its end before the next).
  writeFileSync(join(ex.control, "build.lines"), "0");
  const accept: number[] = [];
  for (let i = 0; i < ROUNDS + 3; i++) {
    const cmd = deployCommand("bench-leaf", { action: "build" });
    let t0 = 0;
    const accepted = new Promise<number>((resolve) => {
      const s = t.nc.subscribe(eventSubject("bench-leaf", cmd.deploymentId), {
        callback: (_e, m) => {
          const e = m.json<DeployEvent>();
          if (e.type === "accepted") resolve(performance.now() - t0);
          if (e.type === "succeeded" || e.type === "failed") s.unsubscribe();
        },
      });
    });
    await t.nc.flush();
    t0 = performance.now();
    await t.send(cmd);
    const took = await accepted;
    if (i >= 3) accept.push(took);
    await t.waitFor(cmd.deploymentId);
  }

  console.log(`command → accepted (n=${accept.length}): p50 ${ms(pct(accept, 50))}, p99 ${ms(pct(accept, 99))}`);
  console.log(`bare request/reply hub↔leaf (n=${bare.length}): p50 ${ms(pct(bare, 50))}, p99 ${ms(pct(bare, 99))}`);
  console.log(`bare JetStream command → event hub↔leaf (n=${jsBare.length}): p50 ${ms(pct(jsBare, 50))}, p99 ${ms(pct(jsBare, 99))}`);
  console.log(`ratio p50 ${(pct(accept, 50) / pct(bare, 50)).toFixed(2)} (target ≤ 3), p99 ${(pct(accept, 99) / pct(bare, 99)).toFixed(2)}`);
  console.log(`ratio to the bare JetStream path: p50 ${(pct(accept, 50) / pct(jsBare, 50)).toFixed(2)}, p99 ${(pct(accept, 99) / pct(jsBare, 99)).toFixed(2)}`);

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
        if (e.type === "succeeded" || e.type === "failed") {
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
  await t.stop();
}
