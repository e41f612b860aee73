import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { node } from "./canvas";

// The editor with the keyboard alone: no click, no mouse, from the empty state's templates to
// the deploy dialog. Only page.keyboard acts; the locators only look.

const LEAF = "leaf-keys";
const test = testWithLeaf(LEAF);

/** The accessible name of what has the focus, as far as this test needs it. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? "");

/** Presses Tab until the focus is on the element named `name`; fails if it never gets there. */
async function tabTo(page: Page, name: string, most = 80) {
  for (let i = 0; i < most; i++) {
    if ((await focused(page)) === name) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${name}`);
}

test("with the keyboard alone: start from a template, add a node, connect it, edit a field, find a node and open the deploy dialog", async ({ page, stack, leaf: _leaf }) => {
  await page.goto(stack.url);
  await expect(page.getByRole("region", { name: "Get started" })).toBeVisible();

  await tabTo(page, "Start from Minimal CIM");
  await page.keyboard.press("Enter");
  await expect(node(page, "host")).toBeVisible();

  // The canvas's menu (nothing has the focus): add a Redis here.
  await page.keyboard.press("Shift+F10");
  const canvasMenu = page.getByRole("menu", { name: "Canvas" });
  await expect(canvasMenu.getByRole("menuitem", { name: "Add a node here…" })).toBeFocused();
  await page.keyboard.press("Enter");
  const kinds = page.getByRole("dialog", { name: "Add a node here" });
  await expect(kinds.getByRole("combobox", { name: "Kind" })).toBeFocused();
  await page.keyboard.type("redis");
  await page.keyboard.press("Enter");
  await expect(node(page, "redis-1")).toBeFocused();

  // Its menu: Connect to… the instance.
  await page.keyboard.press("Shift+F10");
  const redisMenu = page.getByRole("menu", { name: "Redis redis-1" });
  await expect(redisMenu.getByRole("menuitem", { name: "Rename…" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(redisMenu.getByRole("menuitem", { name: "Connect to…" })).toBeFocused();
  await page.keyboard.press("Enter");
  const ends = page.getByRole("dialog", { name: "Connect Redis redis-1 to…" });
  await expect(ends.getByRole("combobox")).toBeFocused();
  await page.keyboard.type("host");
  await expect(ends.getByRole("option", { selected: true })).toHaveText("CIM instance (a NixOS host) host");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("group", { name: "Edge from redis-1 to host" })).toHaveCount(1);
  await expect(node(page, "redis-1")).toBeFocused();

  // Rename… puts the cursor in the inspector's Label; Tab goes on to the Port.
  await page.keyboard.press("ContextMenu");
  await expect(redisMenu.getByRole("menuitem", { name: "Rename…" })).toBeFocused();
  await page.keyboard.press("Enter");
  const inspector = page.getByRole("complementary", { name: "Side panel" });
  await expect(inspector.getByRole("textbox", { name: "Label" })).toBeFocused();
  await page.keyboard.type("Cache");
  await page.keyboard.press("Tab");
  const port = inspector.getByRole("spinbutton", { name: "Port" }).or(inspector.getByRole("textbox", { name: "Port" }));
  await expect(port).toBeFocused();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("6380");
  await expect(node(page, "redis-1")).toContainText("Cache");
  await expect(node(page, "redis-1")).toContainText("6380");

  // Ctrl+K, from the field: the instance, found by its id, centred and focused.
  await page.keyboard.press("Control+k");
  const finder = page.getByRole("dialog", { name: "Find a node" });
  await expect(finder.getByRole("combobox", { name: "Label, id or kind" })).toBeFocused();
  await page.keyboard.type("host");
  await page.keyboard.press("Enter");
  await expect(finder).toHaveCount(0);
  await expect(node(page, "host")).toBeFocused();

  // Its menu's last item deploys it.
  await page.keyboard.press("Shift+F10");
  const hostMenu = page.getByRole("menu", { name: "CIM instance (a NixOS host) host" });
  await page.keyboard.press("End");
  await expect(hostMenu.getByRole("menuitem", { name: "Deploy cim-minimal…" })).toBeFocused();
  await expect(hostMenu.getByRole("menuitem", { name: "Deploy cim-minimal…" })).not.toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Deploy cim-minimal" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Leaf")).toHaveValue(LEAF);
  await expect(dialog.getByRole("button", { name: "Deploy", exact: true })).toBeEnabled();
  // Nothing is sent: Escape closes it, and the focus is back on the instance.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(node(page, "host")).toBeFocused();
});
