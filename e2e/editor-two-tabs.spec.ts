import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Issue 18, point 3: two tabs on one design. The last writer used to win silently: a port set
// in one tab was lost once the other tab saved.
const port = async (page: Page, label: string) => {
  await page.locator('.react-flow__node[data-id="nats"]').click();
  return page.getByLabel(label, { exact: true });
};

test("a second tab on the same design sees the first's saves live, and its own save keeps them", async ({ page, context, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  // The second tab opens the design last saved: wait until the first tab has saved it.
  await expect.poll(() => page.evaluate(() => localStorage.getItem("alchemist.current"))).not.toBeNull();
  const other = await context.newPage();
  await other.goto(stack.url);
  await expect(other.locator('.react-flow__node[data-id="nats"]')).toBeVisible();

  await (await port(page, "Client port")).fill("4333");
  // Seen in the other tab without a reload.
  await expect(await port(other, "Client port")).toHaveValue("4333");

  await (await port(other, "Monitoring port")).fill("8333");
  await expect(await port(page, "Monitoring port")).toHaveValue("8333");
  await expect(await port(page, "Client port")).toHaveValue("4333");

  // And what is saved holds both tabs' changes.
  await page.reload();
  await expect(await port(page, "Client port")).toHaveValue("4333");
  await expect(await port(page, "Monitoring port")).toHaveValue("8333");
  await expect(page.getByRole("dialog", { name: "This design changed in another tab" })).toHaveCount(0);
});
