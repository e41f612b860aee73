import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { node } from "./canvas";

const nodes = (page: Page) => page.locator(".react-flow__node");
const edges = (page: Page) => page.locator(".react-flow__edge");
const canvas = (page: Page) => page.getByRole("main", { name: "Design canvas" });

async function startMinimal(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(nodes(page)).toHaveCount(4);
  await page.getByRole("button", { name: "Fit View" }).click();
}

type Box = { x: number; y: number; width: number; height: number };

async function boxes(page: Page): Promise<Record<string, Box>> {
  const all: Record<string, Box> = {};
  for (const el of await nodes(page).all()) all[(await el.getAttribute("data-id"))!] = (await el.boundingBox())!;
  return all;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every pair of nodes that cover one another on screen. */
async function overlaps(page: Page): Promise<string[]> {
  const all = Object.entries(await boxes(page));
  return all.flatMap(([a, ba], i) => all.slice(i + 1).flatMap(([b, bb]) => (overlap(ba, bb) ? [`${a}/${b}`] : [])));
}

/** Clicks the empty strip fitView leaves along the top of the canvas: nothing is selected after. */
async function clickEmptyPane(page: Page) {
  const area = (await canvas(page).boundingBox())!;
  await page.mouse.click(area.x + area.width / 2, area.y + 8);
  await expect(page.getByRole("complementary", { name: "Side panel" })).toContainText("Select a node on the canvas");
}

test("Ctrl+A then Delete asks before removing the design's nodes; No keeps them, Remove removes them and Undo brings them back; one node goes at once", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await node(page, "graph").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  const ask = page.getByRole("dialog", { name: "Remove 4 nodes?" });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText("3 connections");
  await ask.getByRole("button", { name: "Keep them" }).click();
  await expect(ask).toBeHidden();
  await expect(nodes(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(3);

  await node(page, "graph").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await ask.getByRole("button", { name: "Remove 4 nodes" }).click();
  await expect(nodes(page)).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(nodes(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(3);

  await node(page, "host").click();
  await page.keyboard.press("Delete");
  await expect(nodes(page)).toHaveCount(3);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a node added from the palette lands on a free spot: near the view's centre, or next to the selected node", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  // Without the Hardware node below the row, the spot beside the view's centre is free.
  await node(page, "hardware").click();
  await page.keyboard.press("Delete");
  await expect(nodes(page)).toHaveCount(3);
  await clickEmptyPane(page);
  await page.getByRole("button", { name: "Add Redis" }).click();
  await expect(node(page, "redis-1")).toBeVisible();
  expect(await overlaps(page)).toEqual([]);
  const area = (await canvas(page).boundingBox())!;
  const redis = (await node(page, "redis-1").boundingBox())!;
  expect(overlap(redis, area)).toBe(true);

  // redis-1 is selected: the next one goes beside it, to its right.
  await page.getByRole("button", { name: "Add Neo4j" }).click();
  await expect(node(page, "neo4j-1")).toBeVisible();
  expect(await overlaps(page)).toEqual([]);
  const neo4j = (await node(page, "neo4j-1").boundingBox())!;
  expect(neo4j.x).toBeGreaterThanOrEqual(redis.x + redis.width);
  expect(neo4j.x - (redis.x + redis.width)).toBeLessThan(redis.width);
  expect(Math.abs(neo4j.y - redis.y)).toBeLessThan(redis.height);

  await clickEmptyPane(page);
  for (const n of [2, 3, 4]) {
    await page.getByRole("button", { name: "Add Redis" }).click();
    await expect(node(page, `redis-${n}`)).toBeVisible();
    await clickEmptyPane(page);
  }
  expect(await overlaps(page)).toEqual([]);
});

test("a canvas node reached with the keyboard shows a focus ring", async ({ page, stack }) => {
  await startMinimal(page, stack.url);
  await page.getByRole("searchbox", { name: "Search node kinds" }).fill("Redis");
  // Tab on from the palette until a canvas node has the focus.
  let focused: string | null = null;
  for (let i = 0; i < 40 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => (document.activeElement?.classList.contains("react-flow__node") ? document.activeElement.getAttribute("data-id") : null));
  }
  expect(focused).not.toBeNull();
  const ring = await node(page, focused!).evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(ring.style).not.toBe("none");
  expect(ring.width).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("group", { name: new RegExp(`${focused}$`) })).toBeFocused();
});
