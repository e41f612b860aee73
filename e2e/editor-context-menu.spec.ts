import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { designFile, importDesign, node, settledBox, startFrom } from "./canvas";

// The canvas's context menus, by role and name: a node's (rename, duplicate, connect,
// disconnect, delete, show its Nix, deploy its instance), a selection's (duplicate, copy,
// disconnect all, lay out, delete), an edge's (go to either end, delete) and the pane's (add a
// node here, paste, add a note), from a right-click or from the keyboard (Shift+F10, the Menu key).

const GRAPH = "Graph domain graph";
const menu = (page: Page, name: string) => page.getByRole("menu", { name });
const item = (page: Page, menuName: string, name: string) => menu(page, menuName).getByRole("menuitem", { name });
const inspector = (page: Page) => page.getByRole("complementary", { name: "Side panel" });
const edge = (page: Page, from: string, to: string) => page.getByRole("group", { name: `Edge from ${from} to ${to}` });
const cards = (page: Page) => page.locator(".react-flow__node");
const edges = (page: Page) => page.locator(".react-flow__edge");
const undo = (page: Page) => page.getByRole("button", { name: "Undo" }).click();

type Saved = { nodes: { id: string; config: Record<string, unknown> }[]; edges: { source: string; target: string }[] };

/** The design as autosave keeps it. */
const savedDesign = (page: Page): Promise<Saved> =>
  page.evaluate(() => (JSON.parse(localStorage.getItem(`alchemist.design:${localStorage.getItem("alchemist.current")}`) ?? "null") as Saved | null) ?? { nodes: [], edges: [] });

/** Its node ids and its connections as `source->target`, sorted. */
async function saved(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  const design = await savedDesign(page);
  return { nodes: design.nodes.map((n) => n.id).sort(), edges: design.edges.map((e) => `${e.source}->${e.target}`).sort() };
}
const MINIMAL = { nodes: ["graph", "hardware", "host", "nats"], edges: ["graph->host", "hardware->host", "nats->graph"] };

/** The point of the canvas's pane (relative to it) with nothing over it (no node, panel or edge) nearest to `want` (fractions of its size). */
async function emptySpot(page: Page, want: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.locator(".react-flow__pane").evaluate((pane, want) => {
    const box = pane.getBoundingClientRect();
    const goal = { x: box.width * want.x, y: box.height * want.y };
    let best: { x: number; y: number } | null = null;
    for (let y = 20; y < box.height - 20; y += 10) {
      for (let x = 20; x < box.width - 20; x += 10) {
        if (document.elementFromPoint(box.x + x, box.y + y) !== pane) continue;
        if (!best || Math.hypot(x - goal.x, y - goal.y) < Math.hypot(best.x - goal.x, best.y - goal.y)) best = { x, y };
      }
    }
    if (!best) throw new Error("no free spot on the canvas");
    return best;
  }, want);
}

test("a node's menu opens from Shift+F10 and the Menu key: arrows, Home and End move, Escape closes and gives the focus back", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");
  await node(page, "graph").focus();
  await page.keyboard.press("Shift+F10");
  const items = menu(page, GRAPH).getByRole("menuitem");
  await expect(items).toHaveText(["Rename…", "Duplicate", "Connect to…", "Connect from…", "Disconnect", "Delete", "Show its Nix", /^Deploy cim-minimal…/]);
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press("End");
  await expect(items.last()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(items.last()).toBeFocused();
  await page.keyboard.press("Home");
  await expect(items.first()).toBeFocused();
  // The canvas's own keys are the menu's while it is open: F does not fit, Delete removes nothing.
  await page.keyboard.press("Delete");
  await expect(node(page, "graph")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(menu(page, GRAPH)).toHaveCount(0);
  await expect(node(page, "graph")).toBeFocused();

  await page.keyboard.press("ContextMenu");
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(menu(page, GRAPH)).toHaveCount(0);
  await expect(node(page, "graph")).toBeFocused();

  // An instance feeds nothing: its menu has no "Connect to…".
  await node(page, "host").focus();
  await page.keyboard.press("Shift+F10");
  await expect(menu(page, "CIM instance (a NixOS host) host").getByRole("menuitem", { name: "Connect to…" })).toHaveCount(0);
  await expect(menu(page, "CIM instance (a NixOS host) host").getByRole("menuitem", { name: "Connect from…" })).toHaveCount(1);
  // A press outside closes it, and so does a wheel (a zoom) over the canvas.
  await page.getByRole("complementary", { name: "Palette" }).click();
  await expect(page.getByRole("menu")).toHaveCount(0);
  await node(page, "host").click({ button: "right" });
  await expect(page.getByRole("menu")).toHaveCount(1);
  const canvas = (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;
  const menuBox = (await page.getByRole("menu").boundingBox())!;
  // Over the canvas, clear of the menu (opened where the host is, on the right).
  await page.mouse.move(canvas.x + 30, canvas.y + canvas.height / 2);
  expect(canvas.x + 30 < menuBox.x).toBe(true);
  await page.mouse.wheel(0, 100);
  await expect(page.getByRole("menu")).toHaveCount(0);

  // The Shortcuts sheet lists the keys.
  await page.getByRole("button", { name: "Shortcuts" }).click();
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Shift+F10 / Menu key, right-click", exact: true }) })).toContainText("Open the menu of the focused node");
  await expect(sheet.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "↑ / ↓, Home / End, Enter, Escape", exact: true }) })).toContainText("the focus goes back where it was");
});

test("a node's menu renames, duplicates, connects, disconnects, shows its Nix and deletes", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");

  await node(page, "graph").click({ button: "right" });
  await item(page, GRAPH, "Rename…").click();
  const label = inspector(page).getByRole("textbox", { name: "Label" });
  await expect(label).toBeFocused();
  await page.keyboard.type("Plant graph");
  await expect(node(page, "graph")).toContainText("Plant graph");
  const named = `${GRAPH}, Plant graph`;

  await node(page, "graph").click({ button: "right" });
  await item(page, named, "Duplicate").click();
  // The copy carries the label, not the connections.
  await expect(node(page, "graph-domain-1")).toContainText("Plant graph");
  await expect(node(page, "graph-domain-1")).toBeFocused();
  await expect(page.getByRole("group", { name: /^Edge from .* to graph-domain-1/ })).toHaveCount(0);

  // Connect to…: only the nodes it can feed are offered (not itself); Enter connects.
  await node(page, "graph-domain-1").click({ button: "right" });
  await item(page, "Graph domain graph-domain-1, Plant graph", "Connect to…").click();
  const picker = page.getByRole("dialog", { name: "Connect Graph domain graph-domain-1, Plant graph to…" });
  const box = picker.getByRole("combobox", { name: "Label, id or kind" });
  await expect(box).toBeFocused();
  await expect(picker.getByRole("option", { name: /graph-domain-1/ })).toHaveCount(0);
  await box.fill("host");
  await box.press("Enter");
  await expect(picker).toHaveCount(0);
  await expect(edge(page, "graph-domain-1", "host")).toHaveCount(1);
  await expect(node(page, "graph-domain-1")).toBeFocused();

  // Connect from…, on the NATS leaf's side of the graph.
  await page.keyboard.press("Shift+F10");
  await item(page, "Graph domain graph-domain-1, Plant graph", "Connect from…").click();
  await page.getByRole("dialog", { name: "Connect to Graph domain graph-domain-1, Plant graph from…" }).getByRole("option", { name: "NATS leaf node nats" }).click();
  await expect(edge(page, "nats", "graph-domain-1")).toHaveCount(1);

  // Disconnect takes every connection of the node, and only its.
  await node(page, "graph-domain-1").click({ button: "right" });
  await item(page, "Graph domain graph-domain-1, Plant graph", "Disconnect").click();
  await expect(page.getByRole("group", { name: /^Edge from .*graph-domain-1/ })).toHaveCount(0);
  await expect(edge(page, "nats", "graph")).toHaveCount(1);
  await node(page, "graph-domain-1").click({ button: "right" });
  await expect(item(page, "Graph domain graph-domain-1, Plant graph", "Disconnect")).toHaveAttribute("aria-disabled", "true");
  await expect(item(page, "Graph domain graph-domain-1, Plant graph", "Disconnect")).toContainText("It has no connections");
  // Not in an instance: nothing to deploy, and it says why.
  await expect(item(page, "Graph domain graph-domain-1, Plant graph", "Deploy…")).toHaveAttribute("aria-disabled", "true");
  await item(page, "Graph domain graph-domain-1, Plant graph", "Delete").click();
  await expect(node(page, "graph-domain-1")).toHaveCount(0);

  // Show its Nix: the preview, on a file the node writes.
  await node(page, "hardware").click({ button: "right" });
  await item(page, "Hardware hardware", "Show its Nix").click();
  await expect(page.getByRole("tab", { name: "Nix preview" })).toHaveAttribute("aria-selected", "true");
  await expect(inspector(page).getByRole("heading", { name: "Hardware" })).toBeVisible();
  await expect(page.getByRole("tabpanel").getByRole("navigation", { name: "Flake files" })).toBeVisible();
});

test("a duplicated instance gets an instance id of its own, so the design still compiles", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");
  await node(page, "host").click({ button: "right" });
  await item(page, "CIM instance (a NixOS host) host", "Duplicate").click();
  await expect(node(page, "cim-instance-1")).toBeFocused();
  const id = inspector(page).getByLabel("Id", { exact: true });
  await expect(id).toHaveValue("cim-minimal-1");
  await expect(id).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/is also used by node/)).toHaveCount(0);
  // The original keeps its own (the copy lies over it, so the saved design is read).
  const hostIds = async () =>
    (await savedDesign(page)).nodes.filter((n) => n.id === "host" || n.id === "cim-instance-1").map((n) => `${n.id}=${String(n.config.id)}`).sort();
  await expect.poll(hostIds).toEqual(["cim-instance-1=cim-minimal-1", "host=cim-minimal"]);
});

test("the canvas's menu adds a node or a note where it was opened, and pastes there", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");
  const pane = page.locator(".react-flow__pane");
  // Zoomed out, the design leaves room around it.
  await page.getByRole("button", { name: "Zoom Out" }).click();
  await page.getByRole("button", { name: "Zoom Out" }).click();
  const spot = await emptySpot(page, { x: 0.85, y: 0.45 });
  const other = await emptySpot(page, { x: 0.15, y: 0.45 });
  const main = (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;
  const at = { x: main.x + spot.x, y: main.y + spot.y };

  await pane.click({ button: "right", position: spot });
  const items = menu(page, "Canvas").getByRole("menuitem");
  await expect(items).toHaveText(["Add a node here…", /^Paste/, "Add a note here"]);
  await expect(items.first()).toBeFocused();
  // Nothing copied yet.
  await expect(item(page, "Canvas", "Paste")).toHaveAttribute("aria-disabled", "true");
  await item(page, "Canvas", "Add a node here…").click();
  const picker = page.getByRole("dialog", { name: "Add a node here" });
  await picker.getByRole("combobox", { name: "Kind" }).fill("redis");
  await picker.getByRole("combobox", { name: "Kind" }).press("Enter");
  await expect(node(page, "redis-1")).toBeFocused();
  const near = async (id: string) => {
    const b = (await node(page, id).boundingBox())!;
    return Math.hypot(b.x + b.width / 2 - at.x, b.y + b.height / 2 - at.y);
  };
  expect(await near("redis-1")).toBeLessThan(150);

  await page.keyboard.press("Control+c");
  // Away from the copy.
  await pane.click({ button: "right", position: other });
  await item(page, "Canvas", "Paste").click();
  await expect(node(page, "redis-2")).toHaveCount(1);
  const copy = (await node(page, "redis-2").boundingBox())!;
  expect(Math.abs(copy.x - (main.x + other.x))).toBeLessThan(5);
  expect(Math.abs(copy.y - (main.y + other.y))).toBeLessThan(5);

  await pane.click({ button: "right", position: await emptySpot(page, { x: 0.5, y: 0.15 }) });
  await item(page, "Canvas", "Add a note here").click();
  await expect(page.getByRole("region", { name: "Note 1" }).getByRole("textbox", { name: "Note text" })).toBeFocused();

  // From the keyboard, with nothing of the canvas focused, the canvas's menu opens in its middle.
  await page.getByRole("button", { name: "Auto-layout" }).focus();
  await page.keyboard.press("Shift+F10");
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Auto-layout" })).toBeFocused();
  // Outside the canvas (a palette button) the browser keeps the key.
  await page.getByRole("button", { name: "Add Redis" }).focus();
  await page.keyboard.press("Shift+F10");
  await expect(page.getByRole("menu")).toHaveCount(0);
});

test("an edge's menu, from a right-click or Shift+F10 on the focused edge, goes to either end and deletes the connection as one undo step", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");
  const NATS_GRAPH = "Edge from nats to graph";

  await edge(page, "nats", "graph").click({ button: "right" });
  const items = menu(page, NATS_GRAPH).getByRole("menuitem");
  await expect(items).toHaveText(["Go to source: NATS leaf node nats", "Go to target: Graph domain graph", "Delete"]);
  await expect(items.first()).toBeFocused();
  // The edge is the selection while its menu is open: the inspector shows the connection.
  await expect(inspector(page).getByRole("button", { name: "Remove this connection" })).toBeVisible();
  await item(page, NATS_GRAPH, "Go to target: Graph domain graph").click();
  await expect(node(page, "graph")).toBeFocused();
  await expect(inspector(page).getByRole("heading", { name: "Graph domain" })).toBeVisible();

  // Edges are in the Tab order (React Flow's edgesFocusable), before the cards: the keyboard opens their menu too.
  const graphHost = edge(page, "graph", "host");
  await page.getByRole("button", { name: "Auto-layout" }).focus();
  for (let i = 0; i < 20 && !(await graphHost.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Shift+Tab");
  await expect(graphHost).toBeFocused();
  await page.keyboard.press("Shift+F10");
  const GRAPH_HOST = "Edge from graph to host";
  await expect(item(page, GRAPH_HOST, "Go to source: Graph domain graph")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu(page, GRAPH_HOST)).toHaveCount(0);
  await expect(graphHost).toBeFocused();
  await page.keyboard.press("ContextMenu");
  await page.keyboard.press("ArrowDown");
  await expect(item(page, GRAPH_HOST, "Go to target: CIM instance (a NixOS host) host")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(node(page, "host")).toBeFocused();

  await graphHost.focus();
  await page.keyboard.press("Shift+F10");
  await page.keyboard.press("End");
  await expect(item(page, GRAPH_HOST, "Delete")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(graphHost).toHaveCount(0);
  await expect.poll(() => saved(page)).toEqual({ nodes: MINIMAL.nodes, edges: ["hardware->host", "nats->graph"] });
  await undo(page);
  await expect(graphHost).toHaveCount(1);
  await expect.poll(() => saved(page)).toEqual(MINIMAL);
});

test("a node of a selection of several opens the selection's menu: duplicate (with the connections among them), disconnect all, copy and delete, each one undo step", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Minimal CIM", "host");
  const TWO = "2 nodes selected";
  await node(page, "nats").click();
  await node(page, "graph").click({ modifiers: ["Shift"] });
  await expect(inspector(page)).toContainText(TWO);

  await node(page, "nats").click({ button: "right" });
  const items = menu(page, TWO).getByRole("menuitem");
  await expect(items).toHaveText(["Duplicate", "Copy", "Disconnect all", "Lay out these nodes", "Delete"]);
  await expect(items.first()).toBeFocused();
  // The selection stays as it was: the menu is for both nodes.
  await expect(inspector(page)).toContainText(TWO);
  await item(page, TWO, "Duplicate").click();
  // The copies keep the connection between them, not those to the nodes left out.
  await expect(cards(page)).toHaveCount(6);
  await expect(edge(page, "nats-leaf-1", "graph-domain-1")).toHaveCount(1);
  await expect(edges(page)).toHaveCount(4);
  await expect(node(page, "nats-leaf-1")).toBeFocused();
  await expect(inspector(page)).toContainText(TWO);
  await expect.poll(() => saved(page)).toEqual({ nodes: [...MINIMAL.nodes, "graph-domain-1", "nats-leaf-1"].sort(), edges: [...MINIMAL.edges, "nats-leaf-1->graph-domain-1"].sort() });
  await undo(page);
  await expect(cards(page)).toHaveCount(4);
  await expect.poll(() => saved(page)).toEqual(MINIMAL);

  // From the keyboard, on the focused card of a selected node; Escape gives the focus back.
  await node(page, "nats").click();
  await node(page, "graph").click({ modifiers: ["Shift"] });
  await node(page, "graph").focus();
  await page.keyboard.press("Shift+F10");
  await expect(items.first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(node(page, "graph")).toBeFocused();

  // Disconnect all: every connection of either node, and the one of neither kept.
  await page.keyboard.press("Shift+F10");
  await item(page, TWO, "Disconnect all").click();
  await expect(edges(page)).toHaveCount(1);
  await expect(edge(page, "hardware", "host")).toHaveCount(1);
  await expect.poll(() => saved(page)).toEqual({ nodes: MINIMAL.nodes, edges: ["hardware->host"] });
  await node(page, "graph").click({ button: "right" });
  await expect(item(page, TWO, "Disconnect all")).toHaveAttribute("aria-disabled", "true");
  await expect(item(page, TWO, "Disconnect all")).toContainText("They have no connections");
  await page.keyboard.press("Escape");
  await undo(page);
  await expect(edges(page)).toHaveCount(3);
  await expect.poll(() => saved(page)).toEqual(MINIMAL);

  // Copy, then the canvas's Paste: both nodes and the connection between them.
  await node(page, "graph").click({ button: "right" });
  await item(page, TWO, "Copy").click();
  await page.locator(".react-flow__pane").click({ button: "right", position: await emptySpot(page, { x: 0.5, y: 0.9 }) });
  await item(page, "Canvas", "Paste").click();
  await expect(edge(page, "nats-leaf-1", "graph-domain-1")).toHaveCount(1);
  await expect(cards(page)).toHaveCount(6);
  await undo(page);
  await expect(cards(page)).toHaveCount(4);

  // Delete asks first, as the Delete key does for more than one node, and goes with their connections.
  await node(page, "nats").click();
  await node(page, "graph").click({ modifiers: ["Shift"] });
  await node(page, "graph").click({ button: "right" });
  await item(page, TWO, "Delete").click();
  await page.getByRole("dialog", { name: "Remove 2 nodes?" }).getByRole("button", { name: "Remove 2 nodes" }).click();
  await expect(cards(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await expect.poll(() => saved(page)).toEqual({ nodes: ["hardware", "host"], edges: ["hardware->host"] });
  await undo(page);
  await expect(cards(page)).toHaveCount(4);
  await expect.poll(() => saved(page)).toEqual(MINIMAL);

  // A node outside the selection opens its own menu, and selects it alone.
  await node(page, "nats").click();
  await node(page, "graph").click({ modifiers: ["Shift"] });
  await node(page, "hardware").click({ button: "right" });
  await expect(menu(page, "Hardware hardware")).toHaveCount(1);
  await expect(inspector(page).getByRole("heading", { name: "Hardware" })).toBeVisible();
});

test("an area selected with Shift+drag has the selection's menu, and 'Lay out these nodes' lays out only them, where they were, as one undo step", async ({ page, stack }) => {
  // The NATS leaf right of the graph domain it feeds: a layout puts it on the left.
  const file = designFile("backwards.json", {
    version: 1,
    name: "Backwards",
    nodes: [
      { id: "graph", kind: "graph-domain", position: { x: 0, y: 0 } },
      { id: "nats", kind: "nats-leaf", position: { x: 400, y: 0 } },
      { id: "host", kind: "cim-instance", position: { x: 400, y: 400 }, config: { id: "cim-back" } },
    ],
    edges: [
      { id: "e1", source: "nats", target: "graph" },
      { id: "e2", source: "graph", target: "host" },
    ],
  });
  await page.goto(stack.url);
  await importDesign(page, file);
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Backwards");
  await page.getByRole("status", { name: "Imported Backwards" }).getByRole("button", { name: "Dismiss" }).click();
  // Zoomed out, the drag starts and ends away from the pane's edges, where React Flow would pan.
  await page.getByRole("button", { name: "Fit View" }).click();
  await page.getByRole("button", { name: "Zoom Out" }).click();
  await page.getByRole("button", { name: "Zoom Out" }).click();
  const box = (id: string) => settledBox(page, node(page, id));
  const graph = await box("graph");
  const nats = await box("nats");
  const host = await box("host");

  // Shift+drag around the two nodes of the top row, from a point of the pane left of and above them.
  await page.keyboard.down("Shift");
  await page.mouse.move(graph.x - 15, Math.min(graph.y, nats.y) - 15);
  await page.mouse.down();
  await page.mouse.move(nats.x + nats.width + 15, Math.max(graph.y + graph.height, nats.y + nats.height) + 15, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await expect(inspector(page)).toContainText("2 nodes selected");

  const area = page.locator(".react-flow__nodesselection-rect");
  await area.click({ button: "right" });
  const TWO = "2 nodes selected";
  await expect(menu(page, TWO).getByRole("menuitem").first()).toBeFocused();
  await page.keyboard.press("Escape");
  // React Flow gives the area's box the focus: Shift+F10 opens the same menu.
  await expect(area).toBeFocused();
  await page.keyboard.press("Shift+F10");
  await item(page, TWO, "Lay out these nodes").click();
  const settled = async () => {
    const [g, n] = await Promise.all([box("graph"), box("nats")]);
    return { ordered: n.x + n.width <= g.x, left: Math.round(Math.min(g.x, n.x)) };
  };
  await expect.poll(settled).toEqual({ ordered: true, left: Math.round(graph.x) });
  // The node left out stays where it was.
  expect(await box("host")).toEqual(host);
  await undo(page);
  await expect.poll(async () => (await box("nats")).x).toBeCloseTo(nats.x, 0);
  expect((await box("graph")).x).toBeCloseTo(graph.x, 0);
});
