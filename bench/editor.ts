// The design surface with a 5 000-node / 7 500-edge design (BENCH_NODES, in hundreds), in Debian Chromium, beside a bare
// React Flow page (bench/pages/bare-flow.*) showing the same graph on a canvas of the same size
// in the same run:
//  - time to first render: navigation start to the first frame of the opening view, every node
//    React Flow renders measured and shown (the bare page renders all of them; the app opens on
//    one instance at 100 %, docs/editor.md, and renders those in view);
//  - frame times (p50, p95 and mean, from requestAnimationFrame) while panning with mouse
//    drags on the pane and while dragging a node with the mouse, once with the whole design in
//    view (the app after Fit View) and once zoomed in to about 1:1.
// Frame times are medians of BENCH_ROUNDS rounds (default 3), each in a fresh browser context,
// app and bare page alternating; the first render is the median over those rounds' loads and
// BENCH_FIRST_RENDERS more (default 12) of each, alternating likewise, since a single load
// varies by ±15 % on a shared machine. Also the JS heap after load (garbage collected first,
// CDP Runtime.getHeapUsage). Targets (issue 13): first render and frame p95 app / bare at
// most 1.3, heap at most 1.5. Also the production bundle: what the first load fetches (gzip)
// and what loads on demand.
import { createServer, type Server } from "node:http";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import react from "@vitejs/plugin-react";
import { compile } from "../src/core/compile";
import { DESIGN_VERSION, type Design, type DesignEdge, type DesignNode } from "../src/core/design/types";

const root = process.cwd();
const INSTANCES = Math.max(1, Math.round(Number(process.env.BENCH_NODES ?? 5_000) / 100));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Loads that only measure the first render, on top of those of the rounds: one load varies by ±15 %. */
const FIRST_RENDERS = Number(process.env.BENCH_FIRST_RENDERS ?? 12);
const VIEWPORT = { width: 1440, height: 900 };
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * Ten CIM instances of a hundred nodes each: messaging, three domains, monitoring, backup,
 * firewall and 92 worker services (every worker runs on the host; 45 of them build on NATS),
 * 150 edges per instance, on a grid per instance. The design compiles without errors, so the
 * app shows what it normally shows.
 */
function benchDesign(): Design {
  const nodes: DesignNode[] = [];
  const edges: DesignEdge[] = [];
  const WORKERS = 91;
  for (let i = 0; i < INSTANCES; i++) {
    const id = (name: string) => `i${i}-${name}`;
    const members: [string, string, Record<string, unknown>][] = [
      ["nats", "nats-leaf", { hubUrl: "nats://hub.example.com:7422" }],
      ["graph", "graph-domain", {}],
      ["workflow", "workflow-domain", {}],
      ["agent", "agent-domain", {}],
      ["monitoring", "monitoring", {}],
      ["backup", "backup", { repo: `ssh://borg@backup/./cim-${i}` }],
      ["firewall", "firewall", {}],
      ["host", "cim-instance", { id: `cim-${i}`, name: `Instance ${i}` }],
      ["hardware", "hardware", { rootDevice: "/dev/disk/by-label/nixos" }],
    ];
    for (let w = 0; w < WORKERS; w++) members.push([`worker-${w}`, "custom-service", { name: `worker-${w}`, execStart: `/run/current-system/sw/bin/worker ${w}` }]);
    const origin = { x: (i % 4) * 2800, y: Math.floor(i / 4) * 1400 };
    members.forEach(([name, kind, config], k) => nodes.push({ id: id(name), kind, position: { x: origin.x + (k % 10) * 260, y: origin.y + Math.floor(k / 10) * 120 }, config }));
    const links: [string, string][] = [
      ["nats", "graph"], ["nats", "workflow"], ["nats", "agent"], ["nats", "host"],
      ["graph", "monitoring"], ["workflow", "monitoring"], ["agent", "monitoring"],
      ["graph", "host"], ["workflow", "host"], ["agent", "host"], ["monitoring", "host"], ["backup", "host"], ["firewall", "host"], ["hardware", "host"],
    ];
    for (let w = 0; w < WORKERS; w++) {
      links.push([`worker-${w}`, "host"]);
      if (w % 2 === 0 && w < 90) links.push(["nats", `worker-${w}`]);
    }
    for (const [from, to] of links) edges.push({ id: `${id(from)}>${to}`, source: id(from), target: id(to) });
  }
  return { version: DESIGN_VERSION, name: `Bench: ${nodes.length} nodes`, nodes, edges };
}

// ---- builds and a static server -------------------------------------------------------------

async function buildPages(): Promise<{ app: string; bare: string }> {
  const app = join(root, "dist/bench/app");
  const bare = join(root, "dist/bench/bare");
  await build({ root, configFile: join(root, "vite.config.ts"), logLevel: "warn", build: { outDir: app, emptyOutDir: true, sourcemap: false, manifest: true } });
  await build({
    root: join(root, "bench/pages"),
    configFile: false,
    base: "./",
    logLevel: "warn",
    plugins: [react()],
    build: { outDir: bare, emptyOutDir: true, rolldownOptions: { input: join(root, "bench/pages/bare-flow.html") } },
  });
  return { app, bare };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

/** Serves `/` from the app build and `/bare/` from the bare page's. */
function serve(app: string, bare: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const [dir, rest] = path.startsWith("/bare/") ? [bare, path.slice(5)] : [app, path === "/" ? "/index.html" : path];
    const file = join(dir, normalize(rest));
    try {
      if (!file.startsWith(dir) || !statSync(file).isFile()) throw new Error("not found");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

// ---- the bundle -------------------------------------------------------------------------------

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function bundleReport(app: string): string[] {
  const manifest = JSON.parse(readFileSync(join(app, ".vite/manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const initial = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const css of chunk.css ?? []) initial.add(css);
    for (const k of chunk.imports ?? []) visit(k);
  };
  visit("index.html");
  const assets = readdirSync(join(app, "assets")).filter((f) => /\.(js|css)$/.test(f));
  const size = (f: string) => {
    const bytes = readFileSync(join(app, "assets", f));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const rows = assets.map((f) => ({ f, first: initial.has(`assets/${f}`), ...size(f) })).sort((a, b) => Number(b.first) - Number(a.first) || b.gzip - a.gzip);
  const total = rows.filter((r) => r.first).reduce((n, r) => n + r.gzip, 0);
  return [
    `initial load (gzip): ${kb(total)}`,
    "| file | loads | size | gzip |",
    "|---|---|---:|---:|",
    ...rows.map((r) => `| ${r.f.replace(/-[\w-]{8}\./, ".")} | ${r.first ? "first load" : "on demand"} | ${kb(r.raw)} | ${kb(r.gzip)} |`),
  ];
}

// ---- in the page ------------------------------------------------------------------------------

declare global {
  interface Window {
    benchFirstRender?: number;
    benchFrames?: () => () => number[];
    benchGraph?: unknown;
  }
}

/** Runs before the page's scripts: watches for the first complete frame and offers a frame recorder. */
function instrument() {
  const watch = () =>
    requestAnimationFrame(() => {
      const nodes = document.querySelectorAll<HTMLElement>(".react-flow__node");
      if (nodes.length > 0 && ![...nodes].some((n) => n.style.visibility === "hidden")) window.benchFirstRender = performance.now();
      else watch();
    });
  watch();
  window.benchFrames = () => {
    const deltas: number[] = [];
    let last = -1;
    let on = true;
    const tick = (t: number) => {
      if (!on) return;
      if (last >= 0) deltas.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return () => {
      on = false;
      return deltas;
    };
  };
}

type Point = { x: number; y: number };

/** A point of the empty pane near the canvas's centre: where a pan starts. */
const panePoint = (page: Page): Promise<Point> =>
  page.evaluate(() => {
    const box = document.querySelector(".react-flow")!.getBoundingClientRect();
    const c = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    for (let r = 0; r < Math.min(box.width, box.height) / 2; r += 6) {
      for (let a = 0; a < 16; a++) {
        const p = { x: c.x + r * Math.cos((a * Math.PI) / 8), y: c.y + r * Math.sin((a * Math.PI) / 8) };
        if (document.elementFromPoint(p.x, p.y)?.classList.contains("react-flow__pane")) return p;
      }
    }
    throw new Error("no empty spot on the pane");
  });

/** The middle of the node nearest the canvas's centre: where a node drag starts. */
const nodePoint = (page: Page): Promise<Point> =>
  page.evaluate(() => {
    const box = document.querySelector(".react-flow")!.getBoundingClientRect();
    const c = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    let best: Point | null = null;
    for (const n of document.querySelectorAll(".react-flow__node")) {
      const r = n.getBoundingClientRect();
      const p = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      if (!n.contains(document.elementFromPoint(p.x, p.y))) continue;
      if (!best || Math.hypot(p.x - c.x, p.y - c.y) < Math.hypot(best.x - c.x, best.y - c.y)) best = p;
    }
    if (!best) throw new Error("no node in view");
    return best;
  });

const zoom = (page: Page) =>
  page.evaluate(() => Number(/scale\(([\d.]+)\)/.exec((document.querySelector(".react-flow__viewport") as HTMLElement).style.transform)?.[1] ?? NaN));

/** Mouse down at `from`, then back and forth along `by` in small steps, then up; the frames meanwhile. */
async function gesture(page: Page, from: Point, by: Point): Promise<number[]> {
  await page.mouse.move(from.x, from.y);
  const stop = await page.evaluateHandle(() => window.benchFrames!());
  await page.mouse.down();
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 40 });
  await page.mouse.move(from.x, from.y, { steps: 40 });
  await page.mouse.up();
  const deltas = await stop.evaluate((f) => f());
  await stop.dispose();
  return deltas;
}

/** Lets the page finish what a gesture or load started (the app's compile worker, autosave). */
const settle = (page: Page) => page.waitForTimeout(1500);

interface Run {
  firstRender: number;
  /** Bytes of JS heap in use once the page has loaded and settled, after a garbage collection. */
  heap: number;
  frames: Record<string, number[]>;
  zoomed: number;
  canvas: { width: number; height: number };
}

/** A fresh browser context on `url`, until the first frame with every node on screen. */
async function open(browser: Browser, url: string, prepare: (context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(instrument);
  await prepare(context);
  const page = await context.newPage();
  await page.goto(url);
  const firstRender = (await (await page.waitForFunction(() => window.benchFirstRender, undefined, { timeout: 120_000 })).jsonValue()) as number;
  return { context, page, firstRender };
}

async function run(browser: Browser, url: string, prepare: (context: BrowserContext) => Promise<void>): Promise<Run> {
  const { context, page, firstRender } = await open(browser, url, prepare);
  const box = (await page.locator(".react-flow").first().boundingBox())!;
  await settle(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = (await cdp.send("Runtime.getHeapUsage")).usedSize;
  await cdp.detach();

  const frames: Record<string, number[]> = {};
  const measure = async (view: string) => {
    frames[`pan, ${view}`] = await gesture(page, await panePoint(page), { x: 160, y: 90 });
    await settle(page);
    frames[`drag a node, ${view}`] = await gesture(page, await nodePoint(page), { x: 120, y: 60 });
    await settle(page);
  };
  // The app opens on one instance; the bare page fits the whole design.
  const fit = page.getByRole("button", { name: "Fit View" });
  if ((await fit.count()) > 0) {
    await fit.click();
    await settle(page);
  }
  await measure("whole design in view");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  while ((await zoom(page)) < 0.9) {
    await page.mouse.wheel(0, -200);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
  const zoomed = await zoom(page);
  await settle(page);
  await measure("zoomed in");
  await context.close();
  return { firstRender, heap, frames, zoomed, canvas: { width: box.width, height: box.height } };
}

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: readonly number[]) => pct(xs, 50);

// ---- the run ----------------------------------------------------------------------------------

const design = benchDesign();
const errors = compile(design).diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) throw new Error(`the bench design has errors: ${errors[0]!.message}`);

const { app, bare } = await buildPages();
const { server, url } = await serve(app, bare);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  // The app opens the design last open in this browser, as after a reload (store/library.ts).
  const openInApp = (context: BrowserContext) =>
    context.addInitScript(
      (entries) => {
        for (const [key, value] of entries) localStorage.setItem(key, value);
      },
      [
        ["alchemist.current", "bench"],
        ["alchemist.design:bench", JSON.stringify(design)],
        ["alchemist.designs", JSON.stringify([{ id: "bench", name: design.name, nodeCount: design.nodes.length, updatedAt: 0 }])],
      ],
    );
  const showInBare = (canvas: Run["canvas"]) => (context: BrowserContext) =>
    context.addInitScript((graph) => (window.benchGraph = graph), { nodes: design.nodes, edges: design.edges, ...canvas });
  // A closed port: the hub indicator shows offline and costs nothing while measuring.
  const appUrl = `${url}/?hub=${encodeURIComponent("ws://127.0.0.1:9")}`;
  const bareUrl = `${url}/bare/bare-flow.html`;

  const apps: Run[] = [];
  const bares: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    apps.push(await run(browser, appUrl, openInApp));
    bares.push(await run(browser, bareUrl, showInBare(apps[0]!.canvas)));
  }

  const firstRenders = { app: apps.map((a) => a.firstRender), bare: bares.map((b) => b.firstRender) };
  for (let r = 0; r < FIRST_RENDERS; r++) {
    for (const [key, target, prepare] of [["app", appUrl, openInApp], ["bare", bareUrl, showInBare(apps[0]!.canvas)]] as const) {
      const { context, firstRender } = await open(browser, target, prepare);
      firstRenders[key].push(firstRender);
      await context.close();
    }
  }

  const fmt = (n: number) => n.toFixed(1);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`design: ${design.nodes.length} nodes, ${design.edges.length} edges; canvas ${apps[0]!.canvas.width}×${apps[0]!.canvas.height} px in a ${VIEWPORT.width}×${VIEWPORT.height} window; zoomed in to ${fmt(apps[0]!.zoomed * 100)} % (app) and ${fmt(bares[0]!.zoomed * 100)} % (bare)`);
  console.log(`frame times: medians of ${ROUNDS} rounds, from requestAnimationFrame; target app / bare ≤ 1.3\n`);
  console.log("| measure | app | bare React Flow | app / bare |");
  console.log("|---|---:|---:|---:|");
  const first = [median(firstRenders.app), median(firstRenders.bare)] as const;
  console.log(`| time to first render (median of ${firstRenders.app.length} loads each) | ${fmt(first[0])} ms | ${fmt(first[1])} ms | ${ratio(...first)} |`);
  const heaps = [median(apps.map((a) => a.heap)), median(bares.map((b) => b.heap))] as const;
  console.log(`| JS heap after load (median of ${ROUNDS}) | ${fmt(heaps[0] / 2 ** 20)} MiB | ${fmt(heaps[1] / 2 ** 20)} MiB | ${ratio(...heaps)} |`);
  const loads = firstRenders.app.map((a, i) => `${a.toFixed(0)}/${firstRenders.bare[i]!.toFixed(0)}`).join(", ");
  // Frame times come in whole display frames (16.7 ms), so p50 and p95 move in steps; the
  // mean shows the differences smaller than a frame.
  const stats: [string, (xs: readonly number[]) => number][] = [
    ["p50", (xs) => pct(xs, 50)],
    ["p95", (xs) => pct(xs, 95)],
    ["mean", (xs) => xs.reduce((sum, x) => sum + x, 0) / xs.length],
  ];
  for (const key of Object.keys(apps[0]!.frames)) {
    for (const [name, stat] of stats) {
      const a = median(apps.map((x) => stat(x.frames[key]!)));
      const b = median(bares.map((x) => stat(x.frames[key]!)));
      console.log(`| ${key}: frame ${name} | ${fmt(a)} ms | ${fmt(b)} ms | ${ratio(a, b)} |`);
    }
  }
  const counts = (runs: Run[]) => Object.entries(runs[0]!.frames).map(([k, v]) => `${k} ${v.length}`).join(", ");
  console.log(`\nfirst render by load (app/bare, ms): ${loads}`);
  console.log(`frames in round 1: app ${counts(apps)}; bare ${counts(bares)}\n`);
  for (const line of bundleReport(app)) console.log(line);
} finally {
  await browser.close();
  server.close();
}
