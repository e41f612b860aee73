import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { node, startFrom } from "./canvas";

// Ctrl+K: a find box (a dialog with a combobox over a listbox) that names a node by its label,
// id or kind, brings it to the middle of the canvas, selects it and gives it the focus.

const finder = (page: Page) => page.getByRole("dialog", { name: "Find a node" });
const box = (page: Page) => finder(page).getByRole("combobox", { name: "Label, id or kind" });
const results = (page: Page) => finder(page).getByRole("listbox", { name: "Find a node" });
const inspector = (page: Page) => page.getByRole("complementary", { name: "Side panel" });

/** How far the node's card is from the middle of the canvas, in pixels. */
async function offCentre(page: Page, id: string): Promise<number> {
  const pane = (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;
  const card = await node(page, id).boundingBox();
  if (!card) return Infinity;
  return Math.hypot(card.x + card.width / 2 - (pane.x + pane.width / 2), card.y + card.height / 2 - (pane.y + pane.height / 2));
}

test("Ctrl+K finds a node by label, id or kind, centres, selects and focuses it; Escape gives the focus back", async ({ page, stack }) => {
  await startFrom(page, stack.url, "Production CIM", "host");
  // A label of the person's, to find by.
  await node(page, "backup").click();
  await inspector(page).getByRole("textbox", { name: "Label" }).fill("Nightly snapshots");

  // From a field: Ctrl+K reaches out of it.
  await page.keyboard.press("Control+k");
  await expect(box(page)).toBeFocused();
  await expect(box(page)).toHaveAttribute("aria-expanded", "true");
  // Nothing typed: every node is listed.
  await expect(results(page).getByRole("option")).toHaveCount(14);

  await box(page).pressSequentially("snapshots");
  await expect(results(page).getByRole("option")).toHaveCount(1);
  await expect(results(page).getByRole("option", { name: "Backup (BorgBackup) backup, Nightly snapshots" })).toHaveAttribute("aria-selected", "true");

  // By id: the whole id comes before the ids it starts.
  await box(page).fill("host");
  await expect(results(page).getByRole("option").first()).toHaveText(/^CIM instance \(a NixOS host\) host/);
  // By kind: no id or label says "leaf", the NATS leaf's kind does.
  await box(page).fill("nats-leaf");
  await expect(results(page).getByRole("option")).toHaveCount(1);
  await expect(results(page).getByRole("option").first()).toHaveText(/ nats$/);

  // The arrows move the active option, which the box points at.
  await box(page).fill("o");
  const options = results(page).getByRole("option");
  expect(await options.count()).toBeGreaterThan(2);
  await box(page).press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(box(page)).toHaveAttribute("aria-activedescendant", (await options.nth(1).getAttribute("id"))!);
  await box(page).press("ArrowUp");
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");

  await box(page).fill("nightly");
  await box(page).press("Enter");
  await expect(finder(page)).toHaveCount(0);
  await expect(node(page, "backup")).toHaveClass(/selected/);
  await expect(node(page, "backup")).toBeFocused();
  await expect(inspector(page).getByRole("textbox", { name: "Label" })).toHaveValue("Nightly snapshots");
  await expect.poll(() => offCentre(page, "backup")).toBeLessThan(20);

  // Another one, far from this one after a pan: it comes to the middle too.
  await page.getByRole("button", { name: "Fit View" }).click();
  await page.keyboard.press("Control+k");
  await box(page).fill("tls");
  await box(page).press("Enter");
  await expect.poll(() => offCentre(page, "tls")).toBeLessThan(20);
  await expect(node(page, "tls")).toBeFocused();

  // Escape closes it with nothing chosen, and the focus is where it was.
  await page.keyboard.press("Control+k");
  await expect(box(page)).toBeFocused();
  await box(page).fill("zzz");
  await expect(finder(page)).toContainText("No node answers that.");
  await page.keyboard.press("Escape");
  await expect(finder(page)).toHaveCount(0);
  await expect(node(page, "tls")).toBeFocused();

  // The Shortcuts sheet lists it.
  await page.getByRole("button", { name: "Shortcuts" }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" }).getByRole("row", { name: /Ctrl\+K/ })).toContainText("Find a node");
});
