// A hub of three beside a single hub (issue 17), measured in the same run, one after the other,
// each as `alchemist up` runs it with a leaf server and its executor beside it (fake
// nixos-rebuild): command → `accepted` latency, step-log throughput, and on the cluster the time
// from the death of the event stream's leader to the next event reaching a client on the hub.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { leafBesideStack } from "../tests/support/deployTopology";
import { deployCommand } from "../tests/support/commands";
import { signedMessage } from "../tests/support/signing";
import { freePortRuns, isAlive, startStack, waitFor, type RunningStack } from "../tests/support/stack";
import { STORE_STREAMS, commandSubject, eventSubject, isTerminal, type DeployEvent } from "../src/core/protocol";

const ROUNDS = 30;
const WARMUP = 3;
const LINES = 20_000;
const LEAF = "bench-cluster-leaf";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Publishes a signed deploy command; resolves when its accepted event and its end have been seen. */
async function deployOnce(nc: NatsConnection, onEvent: (e: DeployEvent) => void = () => undefined) {
  const js = jetstream(nc, { domain: "hub" });
  const cmd = deployCommand(LEAF, { action: "build" });
  const signed = signedMessage(JSON.stringify(cmd));
  let t0 = 0;
  let accepted!: (ms: number) => void;
  let ended!: () => void;
  const acceptedAt = new Promise<number>((r) => (accepted = r));
  const finished = new Promise<void>((r) => (ended = r));
  const s = nc.subscribe(eventSubject(LEAF, cmd.deploymentId), {
    callback: (_e, m) => {
      const e = m.json<DeployEvent>();
      onEvent(e);
      if (e.type === "accepted") accepted(performance.now() - t0);
      if (isTerminal(e)) {
        s.unsubscribe();
        ended();
      }
    },
  });
  await nc.flush();
  t0 = performance.now();
  // A publish the cluster cannot take yet (no stream leader) is sent again, as the CLI retries.
  for (;;) {
    try {
      await js.publish(commandSubject(LEAF), signed.data, { msgID: cmd.commandId, headers: signed.headers, timeout: 2000 });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { accepted: await acceptedAt, finished, t0 };
}

async function measure(label: string, stack: RunningStack) {
  const leaf = await leafBesideStack(stack, LEAF);
  try {
    const control = leaf.executor.control;
    writeFileSync(join(control, "build.lines"), "0");
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const d = await deployOnce(leaf.nc);
      await d.finished;
      if (i >= WARMUP) latencies.push(d.accepted);
    }
    writeFileSync(join(control, "build.lines"), String(LINES));
    let lines = 0;
    const t = performance.now();
    const big = await deployOnce(leaf.nc, (e) => {
      if (e.type === "step-log") lines += e.line.split("\n").filter((l) => l.startsWith("build output line")).length;
    });
    await big.finished;
    const rate = lines / ((performance.now() - t) / 1000);
    writeFileSync(join(control, "build.lines"), "0");
    console.log(`${label}: command → accepted p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}; step-log ${Math.round(rate)} lines/s (${lines} of ${LINES} seen)`);
    return { p50: pct(latencies, 50), p99: pct(latencies, 99), rate, leaf };
  } catch (e) {
    await leaf.stop();
    throw e;
  }
}

async function main() {
  const single = await startStack();
  let one;
  try {
    one = await measure("single hub", single);
    await one.leaf.stop();
  } finally {
    await single.stop();
  }

  const ports = await freePortRuns(3);
  const cluster = await startStack({ ports, args: ["--hub-nodes", "3"], timeoutMs: 90_000 });
  try {
    const three = await measure("hub of three", cluster);
    console.log(`ratios (three / single): accepted p50 ${(three.p50 / one.p50).toFixed(2)}, p99 ${(three.p99 / one.p99).toFixed(2)}; step-log throughput ${(three.rate / one.rate).toFixed(2)}`);

    // The event stream's leader dies; the next command's accepted event is timed from the kill.
    const jsm = await jetstreamManager(three.leaf.nc, { domain: "hub" });
    const leader = (await jsm.streams.info(STORE_STREAMS.events)).cluster!.leader!;
    const i = ["alchemist-hub", "alchemist-hub-2", "alchemist-hub-3"].indexOf(leader);
    const pid = Number(readFileSync(join(cluster.stateDir, `nats-server${i === 0 ? "" : `-${i + 1}`}.pid`), "utf8").trim());
    const killed = performance.now();
    process.kill(pid, "SIGKILL");
    await waitFor("the member to be gone", () => (isAlive(pid) ? undefined : true));
    const after = await deployOnce(three.leaf.nc);
    const gap = after.t0 - killed + after.accepted;
    await after.finished;
    console.log(`failover: the events stream's leader (${leader}) killed → the next command's accepted event on the hub after ${ms(gap)} (${(gap / three.p50).toFixed(1)}× the cluster's p50 accept latency)`);
    await three.leaf.stop();
  } finally {
    await cluster.stop();
  }
}

await main();
process.exit(0);
