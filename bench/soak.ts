// Soak (issue 16): a fleet of executors on a real hub deploys for a while, and nothing may be
// lost, run twice or left unfinished, nor may an executor's memory grow.
//
//   npm run bench soak                      (SOAK_DEPLOYMENTS=500 SOAK_LEAVES=10 to change the size)
//
// SOAK_LEAVES executors (default 10), five to a leaf server linked to the hub, each with the
// fake nixos-rebuild and the real nix-instantiate, take SOAK_DEPLOYMENTS deployments (default
// 500) in all: each leaf is kept three deep, so most deployments wait in a queue behind others;
// about 1 in 5 fails (a .nix file that does not parse: the check step fails it), about 1 in 10 is
// cancelled right after it is sent (while queued or running). A "browser" follows the whole
// fleet with one consumer of the events stream, folding each deployment's events as the app
// does. At the end it checks, and prints as a table:
//  - lost: deployments sent with no terminal event (must be 0);
//  - run twice: deployments with more than one `accepted` or whose build the fake nixos-rebuild
//    saw more than once (must be 0);
//  - the browser's view of every deployment equal to the fold of the hub's stored events, and
//    the summary in cim_deployments in the same end state;
//  - each executor's RSS when 10 % of the deployments had ended and at the end, both after a
//    full garbage collection (tests/support/memoryProbe.cjs, on SIGUSR2): growth under 10 %.
//    ALCHEMIST_HEAP_SNAPSHOTS=1 also writes a heap snapshot at each sample, to see what is held.
// Exits non-zero when a check fails.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { AckPolicy, DeliverPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Topology, readEvents, type ExecutorProc } from "../tests/support/deployTopology";
import { control, deployCommand } from "../tests/support/commands";
import { REPO } from "../tests/support/stack";
import {
  DEPLOYMENTS_BUCKET,
  EVENTS_STREAM,
  EVENTS_SUBJECTS,
  deploymentKey,
  emptyView,
  foldBatch,
  foldEvents,
  isTerminal,
  type DeployEvent,
  type DeploymentSummary,
  type DeploymentView,
} from "../src/core/protocol";

const TOTAL = Number(process.env.SOAK_DEPLOYMENTS ?? 500);
const LEAVES = Number(process.env.SOAK_LEAVES ?? 10);
const PER_LEAF_SERVER = 5;
/** Deployments outstanding per leaf: one running, the rest queued behind it. */
const DEPTH = 3;
const DEADLINE_MS = Number(process.env.SOAK_DEADLINE_S ?? 1800) * 1000;

type Kind = "success" | "failure" | "cancel";
const kindOf = (i: number): Kind => (i % 10 === 3 ? "cancel" : i % 5 === 1 ? "failure" : "success");

const PROBE = mkdtempSync(join(tmpdir(), "alchemist-soak-probe-"));

/**
 * Each executor's memory after a full garbage collection (tests/support/memoryProbe.cjs), so
 * that what is compared is what the executor holds, not when V8 last collected: RSS and the
 * JS heap in use, in KiB, plus the RSS as it was just before.
 */
async function memory(executors: ExecutorProc[]): Promise<{ rss: number; heap: number; rawRss: number }[]> {
  return Promise.all(
    executors.map(async (e) => {
      const pid = e.proc.pid!;
      const rawRss = rssKiB(pid);
      const file = join(PROBE, `${pid}.json`);
      const before = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { at: number }).at : 0;
      process.kill(pid, "SIGUSR2");
      for (let i = 0; i < 200; i++) {
        if (existsSync(file)) {
          const m = JSON.parse(readFileSync(file, "utf8")) as { at: number; rss: number; heapUsed: number };
          if (m.at > before) return { rss: m.rss / 1024, heap: m.heapUsed / 1024, rawRss };
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`executor ${e.leafId} did not answer the memory probe`);
    }),
  );
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** How many times the fake nixos-rebuild was asked to build each deployment on a leaf. */
function buildsOf(ex: ExecutorProc): Map<string, number> {
  const out = new Map<string, number>();
  const log = join(ex.control, "calls.log");
  if (!existsSync(log)) return out;
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const m = /^build build path:.*\/deployments\/([^/#]+)#/.exec(line);
    if (m) out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  }
  return out;
}

execFileSync(process.execPath, [join(REPO, "scripts/build-cli.mjs")], { cwd: REPO, stdio: "inherit" });
const t = await Topology.start();
const started = Date.now();
let failed = false;
try {
  const executors: ExecutorProc[] = [];
  for (let i = 0; i < LEAVES; i++) {
    const server = i % PER_LEAF_SERVER === 0 ? await t.addLeaf(`soak-ls-${i / PER_LEAF_SERVER}`) : [...t.leaves.values()].at(-1)!;
    executors.push(await t.startExecutor(`soak-${i}`, server, { env: { NODE_OPTIONS: `--expose-gc --require ${join(REPO, "tests/support/memoryProbe.cjs")}`, ALCHEMIST_MEMORY_PROBE: PROBE } }));
  }

  // The browser: one consumer of every event, a view per deployment, folded as the app folds.
  const views = new Map<string, DeploymentView>();
  const live = new Map<string, DeployEvent[]>();
  const ended = new Set<string>();
  const created = await t.jsm.consumers.add(EVENTS_STREAM, { filter_subject: EVENTS_SUBJECTS, deliver_policy: DeliverPolicy.New, ack_policy: AckPolicy.None, inactive_threshold: 120e9 });
  const messages = await (await t.js.consumers.get(EVENTS_STREAM, created.name)).consume({ max_messages: 512 });
  let onEnd: () => void = () => undefined;
  void (async () => {
    for await (const m of messages) {
      const e = m.json<DeployEvent>();
      const list = live.get(e.deploymentId);
      if (!list) continue; // not one of ours (_invalid answers to a late cancel)
      list.push(e);
      views.set(e.deploymentId, foldBatch(views.get(e.deploymentId) ?? emptyView(e.deploymentId, e.leafId), [e]).view);
      if (isTerminal(e) && !ended.has(e.deploymentId)) {
        ended.add(e.deploymentId);
        onEnd();
      }
    }
  })();

  const sent: { id: string; leaf: ExecutorProc; kind: Kind }[] = [];
  const outstanding = new Map<string, number>(executors.map((e) => [e.leafId, 0]));
  /** Every executor's memory as each tenth of the deployments has ended. */
  const samples = new Map<number, Promise<{ rss: number; heap: number; rawRss: number }[]>>();
  let next = 0;
  const broken = { "modules/broken.nix": "{ this is = not nix; " };
  const sendOne = async (leaf: ExecutorProc) => {
    const i = next++;
    const kind = kindOf(i);
    const cmd = deployCommand(leaf.leafId);
    if (kind === "failure") cmd.files = { ...(cmd.files as Record<string, string>), ...broken };
    live.set(cmd.deploymentId, []);
    sent.push({ id: cmd.deploymentId, leaf, kind });
    outstanding.set(leaf.leafId, outstanding.get(leaf.leafId)! + 1);
    await t.send(cmd);
    if (kind === "cancel") await t.send(control(leaf.leafId, cmd.deploymentId, "cancel"));
  };
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`soak: ${ended.size} of ${TOTAL} ended after ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
    const refill = () => {
      for (const leaf of executors) {
        while (next < TOTAL && outstanding.get(leaf.leafId)! < DEPTH) void sendOne(leaf).catch(reject);
      }
    };
    onEnd = () => {
      // Which leaf freed a place: the one whose deployment just ended.
      for (const s of sent) {
        if (ended.has(s.id) && !(s as { counted?: boolean }).counted) {
          (s as { counted?: boolean }).counted = true;
          outstanding.set(s.leaf.leafId, outstanding.get(s.leaf.leafId)! - 1);
        }
      }
      const tenth = Math.floor((ended.size * 10) / TOTAL);
      if (tenth >= 1 && !samples.has(tenth)) samples.set(tenth, memory(executors));
      if (ended.size % 50 === 0) process.stdout.write(`  ${ended.size}/${TOTAL} ended, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      if (ended.size >= TOTAL) {
        clearTimeout(deadline);
        resolve();
      } else refill();
    };
    refill();
  });
  const seconds = (Date.now() - started) / 1000;
  // Let the last summaries land, then compare everything with the hub.
  await new Promise((r) => setTimeout(r, 1500));
  samples.set(10, memory(executors));
  const byTenth = new Map<number, { rss: number; heap: number; rawRss: number }[]>();
  for (const [k, p] of samples) byTenth.set(k, await p);
  const first = byTenth.get(1)!;
  const last = byTenth.get(10)!;
  messages.stop();

  const kv = await new Kvm(t.js).open(DEPLOYMENTS_BUCKET);
  const builds = new Map<string, number>();
  for (const ex of executors) for (const [id, n] of buildsOf(ex)) builds.set(id, n);
  let lost = 0;
  let twice = 0;
  let viewMismatch = 0;
  let summaryMismatch = 0;
  let gaps = 0;
  const outcomes = new Map<string, number>();
  for (const s of sent) {
    const stored = await readEvents(t.js, t.jsm, s.id);
    const end = stored.find(isTerminal);
    if (!end) lost++;
    if (stored.filter((e) => e.type === "accepted").length !== 1 || (builds.get(s.id) ?? 0) > 1) twice++;
    if (stored.some((e, i) => e.seq !== i + 1)) gaps++;
    const fromHub = foldEvents(s.id, stored);
    const seen = views.get(s.id);
    if (!seen || !isDeepStrictEqual(seen, fromHub)) viewMismatch++;
    const summary = (await kv.get(deploymentKey(s.leaf.leafId, s.id)))?.json<DeploymentSummary>();
    if (!summary || summary.state !== fromHub.status) summaryMismatch++;
    const outcome = `${s.kind} → ${fromHub.status}`;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const growthOf = (pick: (m: { rss: number; heap: number; rawRss: number }) => number) => Math.max(...last.map((m, i) => (pick(m) - pick(first[i]!)) / pick(first[i]!)));
  const maxGrowth = growthOf((m) => m.rss);
  const mean = (ms: { rss: number; heap: number; rawRss: number }[], pick: (m: { rss: number; heap: number; rawRss: number }) => number) => ms.reduce((x, m) => x + pick(m), 0) / ms.length;
  const series = (pick: (m: { rss: number; heap: number; rawRss: number }) => number) =>
    [...byTenth.entries()].sort((a, b) => a[0] - b[0]).map(([, ms]) => mb(mean(ms, pick)).replace(" MiB", "")).join(" ");
  const queued = [...live.values()].filter((es) => es.some((e) => e.type === "queued")).length;
  const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

  const rows: [string, string, string][] = [
    ["deployments (leaves × each)", `${TOTAL} (${LEAVES} × ~${Math.round(TOTAL / LEAVES)})`, ""],
    ["wall time", `${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(1)} deployments/s)`, ""],
    ...[...outcomes.entries()].sort().map(([k, n]) => [`  ${k}`, String(n), ""] as [string, string, string]),
    ["  waited in a queue", String(queued), ""],
    ["lost (no end)", String(lost), lost === 0 ? "ok" : "FAIL"],
    ["run twice", String(twice), twice === 0 ? "ok" : "FAIL"],
    ["gaps in seq", String(gaps), gaps === 0 ? "ok" : "FAIL"],
    ["browser's view ≠ hub's stream", String(viewMismatch), viewMismatch === 0 ? "ok" : "FAIL"],
    ["summary ≠ events", String(summaryMismatch), summaryMismatch === 0 ? "ok" : "FAIL"],
    [`executor RSS after GC at ${Math.ceil(TOTAL / 10)} ended (min–max)`, `${mb(Math.min(...first.map((m) => m.rss)))}–${mb(Math.max(...first.map((m) => m.rss)))}`, ""],
    [`executor RSS after GC at ${TOTAL} ended (min–max)`, `${mb(Math.min(...last.map((m) => m.rss)))}–${mb(Math.max(...last.map((m) => m.rss)))}`, ""],
    ["fleet mean RSS before GC, each tenth (MiB)", series((m) => m.rawRss), ""],
    ["fleet mean RSS after GC, each tenth (MiB)", series((m) => m.rss), ""],
    ["fleet mean JS heap after GC, each tenth (MiB)", series((m) => m.heap), ""],
    [`JS heap growth ${Math.ceil(TOTAL / 10)} → ${TOTAL}, worst executor`, `${(growthOf((m) => m.heap) * 100).toFixed(1)} %`, ""],
    [`RSS growth before GC ${Math.ceil(TOTAL / 10)} → ${TOTAL}, worst executor`, `${(growthOf((m) => m.rawRss) * 100).toFixed(1)} %`, ""],
    [`RSS growth after GC ${Math.ceil(TOTAL / 10)} → ${TOTAL}, worst executor (target < 10 %)`, `${(maxGrowth * 100).toFixed(1)} %`, maxGrowth < 0.1 ? "ok" : "FAIL"],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${"what".padEnd(w0)}  ${"figure".padEnd(w1)}  check`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  failed = rows.some((r) => r[2] === "FAIL");
  for (const ex of executors) if (/Unhandled|TypeError/.test(ex.output())) {
    console.log(`executor ${ex.leafId} printed an error:\n${ex.output().slice(-2000)}`);
    failed = true;
  }
} finally {
  await t.stop();
  rmSync(PROBE, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
