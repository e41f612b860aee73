import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const nodes = (page: Page) => page.locator(".react-flow__node");
const edges = (page: Page) => page.locator(".react-flow__edge");
const sidePanel = (page: Page) => page.getByRole("complementary", { name: "Side panel" });

async function box(page: Page, id: string) {
  const b = await node(page, id).boundingBox();
  if (!b) throw new Error(`node ${id} is not on screen`);
  return b;
}

/** Minimal CIM (nats → graph → host, left to right, and its placeholder hardware → host), fitted into view. */
async function startMinimal(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(nodes(page)).toHaveCount(4);
  await page.getByRole("button", { name: "Fit View" }).click();
}

test("a kind dragged from the palette is added where it is dropped", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  const canvas = page.getByRole("main", { name: "Design canvas" });
  const area = (await canvas.boundingBox())!;
  const drop = { x: area.width / 2, y: area.height * 0.8 };

  await page.getByRole("button", { name: "Add Redis" }).dragTo(canvas, { targetPosition: drop });

  await expect(node(page, "redis-1")).toBeVisible();
  const added = await box(page, "redis-1");
  const at = { x: area.x + drop.x, y: area.y + drop.y };
  expect(at.x).toBeGreaterThan(added.x);
  expect(at.x).toBeLessThan(added.x + added.width);
  expect(at.y).toBeGreaterThan(added.y);
  expect(at.y).toBeLessThan(added.y + added.height);
  await expect(sidePanel(page)).toContainText("Redis");
});

test("copy and paste: one node, then a whole selection with the edges among it; undo takes a paste back", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await node(page, "graph").click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(node(page, "graph-domain-1")).toBeVisible();
  await expect(nodes(page)).toHaveCount(5);
  await expect(edges(page)).toHaveCount(3);
  await expect(sidePanel(page)).toContainText("graph-domain-1");

  await page.keyboard.press("Control+a");
  await expect(sidePanel(page)).toContainText("5 nodes selected");
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(nodes(page)).toHaveCount(10);
  await expect(edges(page)).toHaveCount(6);
  await expect(node(page, "cim-instance-1")).toBeVisible();
  await expect(sidePanel(page)).toContainText("5 nodes selected");

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(nodes(page)).toHaveCount(5);
  await expect(edges(page)).toHaveCount(3);
});

test("shift+click selects several nodes and Delete removes them with their edges, once confirmed, as one undo step", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await node(page, "nats").click();
  await node(page, "graph").click({ modifiers: ["Shift"] });
  await expect(sidePanel(page)).toContainText("2 nodes selected");

  await page.keyboard.press("Delete");
  await page.getByRole("dialog", { name: "Remove 2 nodes?" }).getByRole("button", { name: "Remove 2 nodes" }).click();
  await expect(nodes(page)).toHaveCount(2);
  await expect(node(page, "host")).toBeVisible();
  await expect(edges(page)).toHaveCount(1);

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(nodes(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(3);
});

test("auto-layout puts every node right of what it builds on, as one undo step; L does the same", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  // Move the NATS node below and right of the host, so the graph no longer reads left to right.
  const nats = await box(page, "nats");
  const host = await box(page, "host");
  await page.mouse.move(nats.x + nats.width / 2, nats.y + nats.height / 2);
  await page.mouse.down();
  await page.mouse.move(host.x + host.width * 0.75, host.y + host.height * 2, { steps: 12 });
  await page.mouse.up();
  // Polled while the view moves to fit: a node it culls for a frame has no box yet, which is "not yet" (undefined), not an answer.
  const order = async () => {
    const [a, b, c] = await Promise.all(["nats", "graph", "host"].map((id) => node(page, id).boundingBox()));
    return a && b && c ? a.x < b.x && b.x < c.x : undefined;
  };
  expect(await order()).toBe(false);
  // The fit after a layout frames where the nodes went, not where they were (it once ran before they got there).
  const allInView = async () => {
    const pane = (await page.locator(".react-flow").boundingBox())!;
    const boxes = await Promise.all((await nodes(page).all()).map((n) => n.boundingBox()));
    return boxes.every((b) => b && b.x >= pane.x && b.y >= pane.y && b.x + b.width <= pane.x + pane.width && b.y + b.height <= pane.y + pane.height);
  };

  await page.getByRole("button", { name: "Auto-layout" }).click();
  await expect.poll(order).toBe(true);
  await expect.poll(allInView).toBe(true);

  await page.getByRole("button", { name: "Undo" }).click();
  await expect.poll(order).toBe(false);

  await page.keyboard.press("l");
  await expect.poll(order).toBe(true);
});

test("the shortcut sheet opens with ? and from its button, lists the keys and closes with Escape", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });

  await page.keyboard.press("?");
  await expect(sheet).toBeVisible();
  for (const [keys, does] of [
    ["Ctrl+Z", "Undo"],
    ["Ctrl+C / Ctrl+V", "Copy and paste the selected nodes"],
    ["Delete / Backspace", "Remove the selection"],
    ["L", "Lay the graph out left to right"],
  ] as const) {
    await expect(sheet.getByRole("row").filter({ has: page.getByRole("rowheader", { name: keys, exact: true }) })).toContainText(does);
  }
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();

  await page.getByRole("button", { name: "Shortcuts" }).click();
  await expect(sheet).toBeVisible();
  await sheet.getByRole("button", { name: "Close" }).click();
  await expect(sheet).toBeHidden();
});

test("zoomed out, cards show no text but keep their size, and the text comes back zoomed in", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Production CIM" }).click();
  await page.getByRole("button", { name: "Fit View" }).click();
  const canvas = page.locator(".react-flow");
  await expect(canvas).not.toHaveClass(/overview/);
  const heights = () => nodes(page).evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute("data-id"), (e as HTMLElement).offsetHeight])));
  const detailed = await heights();
  expect(Object.keys(detailed).length).toBeGreaterThan(5);
  const anId = Object.keys(detailed)[0]!;
  await expect(node(page, anId)).toContainText(anId);

  for (let i = 0; i < 20 && !(await canvas.getAttribute("class"))?.includes("overview"); i++) await page.getByRole("button", { name: "Zoom Out" }).click();
  await expect(canvas).toHaveClass(/overview/);
  await expect(node(page, anId)).not.toContainText(anId);
  expect(await heights()).toEqual(detailed);

  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(canvas).not.toHaveClass(/overview/);
  await expect(node(page, anId)).toContainText(anId);
  expect(await heights()).toEqual(detailed);
});
