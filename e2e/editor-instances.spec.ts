import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { designFile, importDesign } from "./canvas";

// Instances at a glance: selecting an instance's card dims what is not its members; its menu
// collapses it to its card (saying how many members it hides) and expands it again, with every
// member back where it was. Collapsing is this browser's view: a reload keeps it, the design
// file never has it.

const at = (x: number, y: number) => ({ x, y });
// nats feeds both instances (shared); each has its own graph domain and hardware; "spare" builds on none.
const DESIGN = {
  version: 2,
  name: "Two hosts",
  nodes: [
    { id: "nats", kind: "nats-leaf", position: at(80, 200), config: { hubUrl: "nats://hub:7422" } },
    { id: "graph-a", kind: "graph-domain", position: at(360, 80), config: {} },
    { id: "hw-a", kind: "hardware", position: at(360, 200), config: { placeholder: true } },
    { id: "host-a", kind: "cim-instance", position: at(660, 120), config: { id: "cim-a" } },
    { id: "graph-b", kind: "graph-domain", position: at(360, 360), config: {} },
    { id: "hw-b", kind: "hardware", position: at(360, 480), config: { placeholder: true } },
    { id: "host-b", kind: "cim-instance", position: at(660, 420), config: { id: "cim-b" } },
    { id: "spare", kind: "graph-domain", position: at(80, 480), config: {} },
  ],
  edges: [
    ["nats", "graph-a"],
    ["graph-a", "host-a"],
    ["hw-a", "host-a"],
    ["nats", "graph-b"],
    ["graph-b", "host-b"],
    ["hw-b", "host-b"],
  ].map(([source, target], i) => ({ id: `e${i + 1}`, source: source!, target: target! })),
};

const HOST_A = "CIM instance (a NixOS host) host-a";
const HOST_B = "CIM instance (a NixOS host) host-b";
const NAMES: Record<string, string> = {
  nats: "NATS leaf node nats",
  "graph-a": "Graph domain graph-a",
  "hw-a": "Hardware hw-a",
  "host-a": HOST_A,
  "graph-b": "Graph domain graph-b",
  "hw-b": "Hardware hw-b",
  "host-b": HOST_B,
  spare: "Graph domain spare",
};
const card = (page: Page, id: string) => page.getByRole("group", { name: NAMES[id], exact: true });
const dimmed = (page: Page, id: string) => card(page, id).locator("[data-dimmed]");
const menuItem = (page: Page, menu: string, name: string) => page.getByRole("menu", { name }).getByRole("menuitem", { name: menu });

/** Where each card is drawn, in flow coordinates (its transform inside the viewport). */
async function positions(page: Page, ids: readonly string[]) {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = await card(page, id).evaluate((el) => (el as HTMLElement).style.transform);
  return out;
}

test("selecting an instance dims the rest; collapsing hides its own members (a shared one stays while the other is open), expanding puts them back; a reload keeps it", async ({ page, stack }) => {
  await page.goto(stack.url);
  await importDesign(page, designFile("two-hosts.json", DESIGN));
  await expect(card(page, "host-a")).toBeVisible();
  await page.getByRole("status", { name: "Imported Two hosts" }).getByRole("button", { name: "Dismiss" }).click();
  // The opening view is on the first instance; the whole design in view draws every card.
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(card(page, "spare")).toBeVisible();

  // Nothing selected: nothing dimmed.
  await expect(page.locator(".react-flow__node [data-dimmed]")).toHaveCount(0);

  // host-a selected: its members are lit, the rest faint.
  await card(page, "host-a").click();
  for (const id of ["nats", "graph-a", "hw-a", "host-a"]) await expect(dimmed(page, id)).toHaveCount(0);
  for (const id of ["graph-b", "hw-b", "host-b", "spare"]) await expect(dimmed(page, id)).toHaveCount(1);
  // A member selected is not an instance selected: nothing dims.
  // (Low on its card: Fit View puts the top row under the canvas's toolbar.)
  const box = (await card(page, "graph-a").boundingBox())!;
  await card(page, "graph-a").click({ position: { x: box.width / 2, y: box.height * 0.85 } });
  await expect(page.locator(".react-flow__node [data-dimmed]")).toHaveCount(0);

  const before = await positions(page, Object.keys(NAMES));
  expect(new Set(Object.values(before)).size).toBe(Object.keys(NAMES).length);

  // Collapse host-a from its menu: its own members go, the shared NATS leaf stays (host-b is open).
  await card(page, "host-a").click({ button: "right" });
  await menuItem(page, "Collapse instance", HOST_A).click();
  for (const id of ["graph-a", "hw-a"]) await expect(card(page, id)).toHaveCount(0);
  for (const id of ["nats", "host-a", "graph-b", "host-b", "spare"]) await expect(card(page, id)).toHaveCount(1);
  await expect(card(page, "host-a")).toContainText("2 members hidden");
  // The NATS leaf's edge into host-a's graph domain is drawn to host-a's card.
  await expect(page.getByRole("group", { name: "Edge from nats to host-a" })).toHaveCount(1);

  // Collapse host-b too: now the shared leaf goes as well, and each card counts what it hides.
  // (By the keyboard: the minimap covers its card's corner.)
  await card(page, "host-b").focus();
  await page.keyboard.press("Shift+F10");
  await menuItem(page, "Collapse instance", HOST_B).click();
  await expect(card(page, "nats")).toHaveCount(0);
  await expect(card(page, "host-a")).toContainText("3 members hidden");
  await expect(card(page, "host-b")).toContainText("3 members hidden");
  await expect(card(page, "spare")).toHaveCount(1);

  // A reload keeps both collapsed; the design file has no trace of it.
  await page.reload();
  await expect(card(page, "host-a")).toContainText("3 members hidden");
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(card(page, "graph-a")).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export design" }).click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, "utf8"));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
  expect({ nodes: [...exported.nodes].sort(byId), edges: [...exported.edges].sort(byId) }).toEqual({ nodes: [...DESIGN.nodes].sort(byId), edges: DESIGN.edges });
  expect(JSON.stringify(exported)).not.toMatch(/collapsed/i);

  // Expand both, by the keyboard: every member back, at the same place.
  await card(page, "host-a").focus();
  await page.keyboard.press("Shift+F10");
  await expect(menuItem(page, "Expand instance", HOST_A)).toBeVisible();
  await menuItem(page, "Expand instance", HOST_A).click();
  // (By the keyboard: the minimap covers its card's corner.)
  await card(page, "host-b").focus();
  await page.keyboard.press("Shift+F10");
  await menuItem(page, "Expand instance", HOST_B).click();
  for (const id of Object.keys(NAMES)) await expect(card(page, id)).toHaveCount(1);
  await expect(card(page, "host-a")).not.toContainText("hidden");
  await expect.poll(() => positions(page, Object.keys(NAMES))).toEqual(before);
  await expect(page.getByRole("group", { name: "Edge from nats to graph-a" })).toHaveCount(1);
  await expect(page.getByRole("group", { name: "Edge from nats to host-a" })).toHaveCount(0);
});

test("a member folded into a collapsed instance comes out when it is found with Ctrl+K or its problem is clicked", async ({ page, stack }) => {
  await page.goto(stack.url);
  await importDesign(page, designFile("two-hosts.json", DESIGN));
  await page.getByRole("status", { name: "Imported Two hosts" }).getByRole("button", { name: "Dismiss" }).click();
  const collapse = async () => {
    await card(page, "host-a").focus();
    await page.keyboard.press("Shift+F10");
    await menuItem(page, "Collapse instance", HOST_A).click();
    for (const id of ["graph-a", "hw-a"]) await expect(card(page, id)).toHaveCount(0);
  };

  await collapse();
  await page.keyboard.press("Control+k");
  const finder = page.getByRole("dialog", { name: "Find a node" });
  await finder.getByRole("combobox", { name: "Label, id or kind" }).fill("graph-a");
  await page.keyboard.press("Enter");
  await expect(card(page, "graph-a")).toBeFocused();
  await expect(card(page, "host-a")).not.toContainText("hidden");
  await expect(card(page, "hw-a")).toBeVisible();

  // The placeholder hardware's warning, clicked while hw-a is out of sight, opens host-a on it.
  await collapse();
  await page.getByRole("tab", { name: /Problems/ }).click();
  await page.getByRole("list", { name: "Problems" }).getByRole("button").filter({ hasText: "hw-a" }).click();
  await expect(card(page, "hw-a")).toBeVisible();
  await expect(card(page, "host-a")).not.toContainText("hidden");
  await expect(page.getByRole("complementary", { name: "Side panel" }).getByRole("checkbox", { name: "Placeholder" })).toBeFocused();
});

test("Ctrl+A with an instance collapsed selects the cards drawn, and Delete removes what the question names; the hidden members stay and come out", async ({ page, stack }) => {
  await page.goto(stack.url);
  await importDesign(page, designFile("two-hosts.json", DESIGN));
  await page.getByRole("status", { name: "Imported Two hosts" }).getByRole("button", { name: "Dismiss" }).click();
  await page.getByRole("button", { name: "Fit View" }).click();
  await card(page, "host-a").focus();
  await page.keyboard.press("Shift+F10");
  await menuItem(page, "Collapse instance", HOST_A).click();
  await expect(card(page, "host-a")).toContainText("2 members hidden");

  // Twice: the second finds every drawn card selected already, so React Flow says nothing back.
  await card(page, "spare").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Control+a");
  const side = page.getByRole("complementary", { name: "Side panel" });
  await expect(side).toContainText("6 nodes selected");

  // The six drawn cards and every connection of theirs in the design, the two into host-a it draws none of included.
  await page.keyboard.press("Delete");
  const ask = page.getByRole("dialog", { name: "Remove 6 nodes?" });
  await expect(ask).toContainText("6 connections");
  await ask.getByRole("button", { name: "Remove 6 nodes" }).click();
  for (const id of ["graph-a", "hw-a"]) await expect(card(page, id)).toBeVisible();
  for (const id of ["nats", "host-a", "graph-b", "hw-b", "host-b", "spare"]) await expect(card(page, id)).toHaveCount(0);
  await expect(page.getByText("Canvas could not be shown")).toHaveCount(0);

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(card(page, "host-a")).toContainText("2 members hidden");
  await expect(page.locator(".react-flow__node")).toHaveCount(6);
});
