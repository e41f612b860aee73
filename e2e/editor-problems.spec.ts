import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { node, startFrom } from "./canvas";

const sidePanel = (page: Page) => page.getByRole("complementary", { name: "Side panel" });

/** Where the middle of a node is from the middle of the canvas, in pixels. */
async function offset(page: Page, id: string): Promise<{ x: number; y: number; distance: number }> {
  const canvas = (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;
  const b = (await node(page, id).boundingBox())!;
  const x = b.x + b.width / 2 - (canvas.x + canvas.width / 2);
  const y = b.y + b.height / 2 - (canvas.y + canvas.height / 2);
  return { x, y, distance: Math.hypot(x, y) };
}

/** Production CIM in full view: it opens on its instance (too big to read whole), these need every node on screen. */
async function startProduction(page: Page, url: string) {
  await startFrom(page, url, "Production CIM", "host");
  await page.getByRole("button", { name: "Fit View" }).click();
  await node(page, "hardware").waitFor();
}

test("clicking a problem selects its node, centres it and focuses the input it is about", async ({ page, stack }) => {
  await startProduction(page, stack.url);
  await node(page, "monitoring").click();
  await page.getByLabel("Grafana port").fill("not a port");
  await page.getByRole("tab", { name: /Problems/ }).click();
  const problem = page.getByRole("list", { name: "Problems" }).getByRole("button").filter({ hasText: "grafanaPort" });
  await expect(problem).toContainText("Monitoring monitoring");

  // Somewhere else: another node selected, and the view panned to take Monitoring away from
  // the middle, by a drag on the empty strip fitView leaves along the top.
  await node(page, "host").click();
  await expect(page.getByLabel("Grafana port")).toHaveCount(0);
  const canvas = (await page.getByRole("main", { name: "Design canvas" }).boundingBox())!;
  const from = await offset(page, "monitoring");
  const away = { x: (from.x / (from.distance || 1)) * 200 || 200, y: (from.y / (from.distance || 1)) * 200 };
  const grab = { x: canvas.x + canvas.width / 2, y: canvas.y + 8 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x + away.x, grab.y + away.y, { steps: 10 });
  await page.mouse.up();
  expect((await offset(page, "monitoring")).distance).toBeGreaterThan(150);

  await problem.click();
  await expect(sidePanel(page).getByRole("heading", { name: "Monitoring", exact: true })).toBeVisible();
  await expect(node(page, "monitoring")).toHaveClass(/selected/);
  await expect(page.getByLabel("Grafana port")).toBeFocused();
  await expect(page.getByLabel("Grafana port")).toHaveValue("not a port");
  await expect.poll(async () => (await offset(page, "monitoring")).distance).toBeLessThan(10);
});

test("a Nix syntax error is marked where it is in the editor, as the message under it says", async ({ page, stack }) => {
  await startProduction(page, stack.url);
  await node(page, "hardware").click();
  const editor = sidePanel(page).getByRole("textbox", { name: "Content" });
  await expect(editor).toBeVisible();
  await expect(sidePanel(page).locator(".cm-syntax-error-line")).toHaveCount(0);

  await editor.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText('{ lib, ... }:\n{\n  boot.loader.grub.device = ;\n}\n');

  const line = sidePanel(page).locator(".cm-syntax-error-line");
  await expect(line).toHaveCount(1);
  await expect(line).toContainText("boot.loader.grub.device = ;");
  await expect(line).toHaveAttribute("title", 'Line 3, column 29: unexpected ";"');
  await expect(line.locator(".cm-syntax-error")).toHaveText(";");
  await expect(sidePanel(page).getByRole("alert").filter({ hasText: "does not parse" })).toContainText('line 3, column 29: unexpected ";"');

  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.insertText('"/dev/sda"');
  await expect(line).toHaveCount(0);
  await expect(sidePanel(page).getByRole("alert").filter({ hasText: "does not parse" })).toHaveCount(0);
});
