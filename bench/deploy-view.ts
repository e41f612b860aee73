// The live deployment view under load (issue 6): a deployment streams 10 000 log lines per
// second for 10 s into the open view in Debian Chromium, through the real stack (`alchemist
// up`, dist/web: run `npm run build` first). The bench plays the executor for one synthetic
// deployment — the fake nixos-rebuild cannot pace its output — and publishes events exactly
// as the executor batches them (one step-log event per 50 ms) to the hub's event stream.
// Reports: lines shown at the end (must be all), the longest main-thread task
// (PerformanceObserver "longtask", target < 100 ms), and event-to-screen latency (publish →
// the view's line count covering that event, p50/p95/p99).
import { chromium } from "@playwright/test";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { startStack } from "../tests/support/stack";
import { watchLongTasks } from "./support/longTasks";
import { DEPLOYMENTS_BUCKET, deploymentKey, eventSubject, type DeploymentSummary, type EventBody } from "../src/core/protocol";

const LINES_PER_SECOND = 10_000;
const SECONDS = 10;
const BATCH_MS = 50;
const PER_EVENT = (LINES_PER_SECOND * BATCH_MS) / 1000;
const EVENTS = (SECONDS * 1000) / BATCH_MS;
const TOTAL = PER_EVENT * EVENTS;
const LEAF = "bench-leaf";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const stack = await startStack();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
const nc = await stack.connect();
try {
  const js = jetstream(nc, { domain: "hub" });
  const id = `d-bench-${Date.now().toString(36)}`;
  let seq = 0;
  const publish = (body: EventBody) => {
    seq++;
    return js.publish(eventSubject(LEAF, id), JSON.stringify({ v: 1, deploymentId: id, leafId: LEAF, seq, ts: new Date().toISOString(), ...body }), { msgID: `${id}:${seq}` });
  };

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const longTasks = await watchLongTasks(page);
  // Logged in the way a person is: the login link `up` printed.
  await page.goto(stack.loginUrl);
  await page.getByRole("status", { name: "Hub connection" }).and(page.locator('[data-state="connected"]')).waitFor();
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();

  // The summary an executor would write, so the instance's "latest deployment" opens it.
  const kv = await new Kvm(js).open(DEPLOYMENTS_BUCKET);
  const summary: DeploymentSummary = { deploymentId: id, commandId: `c-${id}`, leafId: LEAF, instance: "cim-minimal", action: "build", designHash: "sha256-bench", signer: { key: `U${"A".repeat(55)}`, name: "bench" }, commandSeq: 1, state: "running", step: "build", rollbackOf: null, acceptedAt: new Date().toISOString(), startedAt: new Date().toISOString(), finishedAt: null, error: null };
  await kv.put(deploymentKey(LEAF, id), JSON.stringify(summary));
  await publish({ type: "accepted", instance: "cim-minimal", action: "build", designHash: "sha256-bench", signer: summary.signer });
  await publish({ type: "step-started", step: "build" });
  await page.getByRole("button", { name: /^Latest deployment/ }).click();
  const count = page.getByRole("region", { name: "Deployment" }).getByLabel("Log line count");
  await count.waitFor();

  // Times (page clock = this clock: one machine) at which the shown count first reached n.
  await longTasks.reset();
  await page.evaluate(() => {
    const w = window as unknown as { __seen: [number, number][] };
    w.__seen = [];
    const el = document.querySelector('[aria-label="Log line count"]')!;
    new MutationObserver(() => w.__seen.push([Date.now(), Number.parseInt(el.textContent ?? "0", 10)])).observe(el, { childList: true, characterData: true, subtree: true });
  });

  const sent: [number, number][] = [];
  const start = Date.now();
  let line = 0;
  for (let i = 0; i < EVENTS; i++) {
    const wait = start + i * BATCH_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const lines: string[] = [];
    for (let k = 0; k < PER_EVENT; k++, line++) lines.push(`building '/nix/store/${String(line).padStart(8, "0")}-bench-output.drv': build output line ${line}`);
    const t = Date.now();
    await publish({ type: "step-log", step: "build", stream: line % 2 ? "stderr" : "stdout", line: lines.join("\n") });
    sent.push([t, line]);
  }
  const streamedMs = Date.now() - start;
  await publish({ type: "step-finished", step: "build", status: "ok", durationMs: streamedMs });
  await publish({ type: "succeeded" });
  await kv.put(deploymentKey(LEAF, id), JSON.stringify({ ...summary, state: "succeeded", finishedAt: new Date().toISOString() }));

  await page.getByRole("region", { name: "Deployment" }).getByRole("status", { name: "Deployment state" }).filter({ hasText: "succeeded" }).waitFor({ timeout: 60_000 });
  const shown = await count.textContent();
  const lastVisible = await page.getByRole("log", { name: "Deployment log" }).getByText(`build output line ${TOTAL - 1}`, { exact: false }).isVisible();
  const seen = await page.evaluate(() => (window as unknown as { __seen: [number, number][] }).__seen);
  const { longest, tasks } = await longTasks.read();
  const latency = sent.map(([t, upTo]) => (seen.find(([, n]) => n >= upTo)?.[0] ?? Number.NaN) - t);
  const missing = latency.filter((l) => Number.isNaN(l)).length;
  const ok = latency.filter((l) => !Number.isNaN(l));

  console.log(`streamed ${TOTAL} lines in ${EVENTS} events over ${(streamedMs / 1000).toFixed(1)} s (${Math.round(TOTAL / (streamedMs / 1000))} lines/s)`);
  console.log(`shown at the end: ${shown} — last line in view: ${lastVisible ? "yes" : "NO"}`);
  console.log(`longest main-thread task: ${longest.toFixed(0)} ms (${tasks} tasks over 50 ms) — target < 100 ms: ${longest < 100 ? "met" : "NOT MET"}`);
  console.log(`event → screen latency: p50 ${pct(ok, 50)} ms, p95 ${pct(ok, 95)} ms, p99 ${pct(ok, 99)} ms, max ${Math.max(...ok)} ms${missing ? `; ${missing} events never seen` : ""}`);
  if (shown !== `${TOTAL} lines` || !lastVisible || missing > 0) process.exitCode = 1;
} finally {
  await nc.close();
  await browser.close();
  await stack.stop();
}
