import type { Page } from "@playwright/test";
import { expect, stackTest as test } from "./fixtures";

// Logged out: this is about one browser's storage (with a login its design list also holds
// the hub's designs, e2e/designs-hub.spec.ts).
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

/**
 * Starts a design, has "another tab" save it with the client port `port` behind this tab's back
 * (the storage event never reaches the tab that wrote, so this tab only finds that save when it
 * goes to write its own), then changes the monitoring port here: the question this tab asks.
 */
async function conflictAsked(page: Page, url: string, change: { port: number; monitorPort: string }) {
  await page.goto(url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect.poll(() => page.evaluate(() => localStorage.getItem("alchemist.current"))).not.toBeNull();
  await page.evaluate((clientPort) => {
    const key = `alchemist.design:${localStorage.getItem("alchemist.current")}`;
    const design = JSON.parse(localStorage.getItem(key)!) as { nodes: { id: string; config: Record<string, unknown> }[] };
    design.nodes.find((n) => n.id === "nats")!.config.port = clientPort;
    localStorage.setItem(key, JSON.stringify(design));
  }, change.port);
  await (await port(page, "Monitoring port")).fill(change.monitorPort);
  const question = page.getByRole("dialog", { name: "This design changed in another tab" });
  await expect(question).toBeVisible();
  return question;
}

test("a tab with changes of its own never writes over another tab's save: it asks, and keeping both keeps both", async ({ page, stack }) => {
  const question = await conflictAsked(page, stack.url, { port: 4444, monitorPort: "8444" });
  await question.getByRole("button", { name: "Keep mine as a copy" }).click();
  // This tab now holds its own version as a copy; the other tab's save is still there, untouched.
  await expect(await port(page, "Monitoring port")).toHaveValue("8444");
  await page.getByRole("button", { name: "Designs", exact: true }).click();
  const designs = page.getByRole("dialog", { name: "Designs" });
  await expect(designs.getByRole("listitem")).toHaveCount(2);
  await expect(designs).toContainText("(this tab's copy)");
  const stored = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith("alchemist.design:"))
      .map((k) => (JSON.parse(localStorage.getItem(k)!) as { nodes: { id: string; config: Record<string, unknown> }[] }).nodes.find((n) => n.id === "nats")!.config),
  );
  expect(stored).toEqual(expect.arrayContaining([expect.objectContaining({ port: 4444 }), expect.objectContaining({ monitorPort: 8444 })]));
});

test("asked, the tab can take the other tab's version instead: its own change is dropped, and it is not asked again", async ({ page, stack }) => {
  const question = await conflictAsked(page, stack.url, { port: 4555, monitorPort: "8555" });
  await question.getByRole("button", { name: "Load the other tab's version" }).click();
  await expect(question).toHaveCount(0);
  await expect(await port(page, "Client port")).toHaveValue("4555");
  await expect(await port(page, "Monitoring port")).toHaveValue("8222");
  await page.reload();
  await expect(await port(page, "Client port")).toHaveValue("4555");
  await expect(page.getByRole("dialog", { name: "This design changed in another tab" })).toHaveCount(0);
});
