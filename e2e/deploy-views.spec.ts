import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf } from "./leaf";
import { deploying, fake, instance, panel, state } from "./deploying";

// Issue 18, points 5 to 10 and the picker of 13: the deploy views at the sizes people use.
const LEAF = "leaf-views";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

const history = (page: Page) => page.getByRole("dialog", { name: "History of cim-minimal" });

/** Whether the element is the one a press at its centre lands on: not covered by anything. */
async function onTop(page: Page, target: Locator): Promise<boolean> {
  const box = (await target.boundingBox())!;
  const handle = await target.elementHandle();
  return page.evaluate(({ x, y, el }) => {
    const hit = document.elementFromPoint(x, y);
    return hit !== null && (hit === el || el!.contains(hit));
  }, { x: box.x + box.width / 2, y: box.y + box.height / 2, el: handle });
}

test("reload during a deployment reopens its panel; at 1280 the panel leaves the bar's History button free", async ({ page, stack, leaf }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  fake(leaf, { "build.sleep": "3" });
  await openDesign(page, stack.url);
  const id = await deploy(page);
  await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();
  await page.reload();
  await expect(panel(page).locator("h2 + span")).toHaveText(id);
  const historyButton = instance(page).getByRole("button", { name: "History" });
  expect(await onTop(page, historyButton)).toBe(true);
  await historyButton.click();
  await expect(history(page)).toBeVisible();
  await history(page).getByRole("button", { name: "Close" }).click();
  await expect(state(page)).toHaveText("succeeded");
  // Closed, it stays closed after a reload.
  await panel(page).getByRole("button", { name: "Close deployment" }).click();
  await page.reload();
  await expect(instance(page).getByRole("button", { name: /^Latest deployment/ })).toBeVisible();
  await expect(panel(page)).toBeHidden();
});

test("an instance whose Id is empty is named as the problem, not a missing instance", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  await page.getByLabel("Id", { exact: true }).fill("");
  await expect(bar).toContainText("The CIM instance has no Id: set its Id in the inspector to deploy it.");
  await expect(bar).not.toContainText("Add a CIM instance");
});

test("the instance picker lists an id once, even when two instances share it", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  for (let i = 0; i < 2; i++) {
    await page.getByRole("button", { name: "Add CIM instance (a NixOS host)" }).click();
    await page.getByLabel("Id", { exact: true }).fill("cim-two");
  }
  const picker = bar.getByRole("combobox", { name: /^Instance in focus/ });
  await expect(picker.getByRole("option")).toHaveText(["cim-minimal", "cim-two"]);
  await expect(picker).toHaveAccessibleName("Instance in focus (2)");
});
