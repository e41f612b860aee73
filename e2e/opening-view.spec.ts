import { readdirSync, readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Issue 13, room to work: every template opens with its cards' text readable (10 px or more on
// screen) in a 1440×900 window; one too big for that opens on the instance in focus.
const templates = readdirSync("templates")
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(`templates/${f}`, "utf8")) as { name: string; nodes: { id: string; kind: string }[] });

/** Until the canvas has stopped moving: the opening fit runs once the cards are measured. */
async function settled(page: Page): Promise<void> {
  const transform = () =>
    page.evaluate(async () => {
      const read = () => (document.querySelector(".react-flow__viewport") as HTMLElement).style.transform;
      const before = read();
      for (let i = 0; i < 10; i++) await new Promise((r) => requestAnimationFrame(r));
      return before === read() ? before : "";
    });
  await expect.poll(transform).not.toBe("");
}

/** The cards on the canvas as drawn: the smallest text on any of them in screen pixels, and which are whole on screen. */
function measure(page: Page) {
  return page.evaluate(() => {
    const pane = document.querySelector('main[aria-label="Design canvas"]')!.getBoundingClientRect();
    let smallest = Infinity;
    let texts = 0;
    const whole: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>(".react-flow__node")) {
      const box = card.getBoundingClientRect();
      if (box.right <= pane.left || box.left >= pane.right || box.bottom <= pane.top || box.top >= pane.bottom) continue;
      if (box.left >= pane.left && box.right <= pane.right && box.top >= pane.top && box.bottom <= pane.bottom) whole.push(card.dataset.id!);
      const scale = box.width / card.offsetWidth;
      for (const el of card.querySelectorAll<HTMLElement>("*")) {
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "");
        if (!ownText || !el.checkVisibility({ visibilityProperty: true })) continue;
        texts++;
        smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * scale);
      }
    }
    return { smallest, texts, whole };
  });
}

for (const template of templates) {
  test(`${template.name} opens with its card text readable at 1440×900, its instance on screen, after a reload too`, async ({ page, stack }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(stack.url);
    await page.getByRole("button", { name: `Start from ${template.name}` }).click();
    const instance = template.nodes.find((n) => n.kind === "cim-instance")!.id;
    for (const opened of ["started", "reloaded"]) {
      if (opened === "reloaded") await page.reload();
      await expect(page.locator(".react-flow__node").first()).toBeVisible();
      await settled(page);
      const { smallest, texts, whole } = await measure(page);
      expect(texts, opened).toBeGreaterThan(0);
      expect(smallest, opened).toBeGreaterThanOrEqual(10);
      expect(whole, opened).toContain(instance);
    }
  });
}

test("Production CIM, 14 cards, is too big to read whole at 1440×900: it opens on its instance, not on a view of them all", async ({ page, stack }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Production CIM" }).click();
  await settled(page);
  const { whole } = await measure(page);
  expect(whole).toContain("host");
  expect(whole.length).toBeGreaterThan(1);
  expect(whole.length).toBeLessThan(14);
  // The instance in focus is the one the Deploy bar names.
  await expect(page.getByRole("group", { name: "Instance cim-prod-001" })).toBeVisible();
});
