import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf, type Leaf } from "./leaf";
import { deploying, fake, instance, node, panel, picture, state } from "./deploying";

// Issue 18, points 5 to 10 and the picker of 13: the deploy views at the sizes people use.
const LEAF = "leaf-views";
const test = testWithLeaf(LEAF);
const { openDesign, deploy } = deploying(LEAF);

const history = (page: Page) => page.getByRole("dialog", { name: "History of cim-minimal" });

/** Whether the element is the one a press at its centre lands on: not covered by anything.
 *  Measured and hit-tested in one step in the page, since the bar reflows while events arrive. */
async function onTop(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

test.describe("a failed deployment, its history and its rollback at 1280×720", () => {
  // A success, then a failed build: made once per worker, so each test also runs on its own.
  let first = "";
  let failed = "";
  async function successThenFailure(page: Page, url: string, leaf: Leaf): Promise<boolean> {
    await page.setViewportSize({ width: 1280, height: 720 });
    await openDesign(page, url);
    if (failed) return false;
    fake(leaf);
    first = await deploy(page);
    await expect(state(page)).toHaveText("succeeded");
    fake(leaf, { "build.exit": "1" });
    failed = await deploy(page);
    await expect(state(page)).toHaveText("failed");
    fake(leaf);
    return true;
  }

  test("the failure summary says the error once and nodes never reached read not run", async ({ page, stack, leaf }) => {
    if (!(await successThenFailure(page, stack.url, leaf))) await instance(page).getByRole("button", { name: /^Latest deployment/ }).click();
    const summary = panel(page).getByRole("alert", { name: "Error summary" });
    await expect(summary).toContainText("E_STEP_FAILED: nixos-rebuild build exited with code 1");
    await expect(summary).toContainText("error: builder for");
    // The log tail is in the summary once: under the headline, not in it as well.
    expect((await summary.textContent())!.split("error: builder for").length - 1).toBe(1);
    await expect(panel(page).getByRole("listitem", { name: "Step activate: not run" })).toBeVisible();
    await expect(node(page, "host")).toHaveAttribute("data-deploy-state", "failed");
    await expect(node(page, "nats")).toHaveAttribute("data-deploy-state", "not-run");
    await expect(page.locator('.react-flow__node[data-id="nats"]')).toContainText("not run");
    await expect(page.locator('.react-flow__node[data-id="nats"]')).not.toContainText("pending");
    await picture(page, "deploy-failed-1280");
    if (process.env.SCREENSHOTS === "1") {
      await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Deploy cim-minimal" });
      await expect(dialog.getByLabel("Leaf")).toHaveValue(LEAF);
      await picture(page, "deploy-dialog-1280");
      await dialog.getByRole("button", { name: "Close" }).click();
    }
  });

  test("History with a failed row fits at 1280×720 and 1920×1080: every column and button in view, the full error on demand", async ({ page, stack, leaf }) => {
    await successThenFailure(page, stack.url, leaf);
    for (const [width, height] of [[1920, 1080], [1280, 720]] as const) {
      await page.setViewportSize({ width, height });
      await instance(page).getByRole("button", { name: "History" }).click();
      const dialog = history(page);
      for (const column of ["Deployment", "State", "Action", "Leaf", "By", "Started", "Took"]) await expect(dialog.getByRole("columnheader", { name: column, exact: true })).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByRole("button", { name: `Open ${failed}` })).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByRole("button", { name: `Roll back to ${first}` })).toBeInViewport({ ratio: 1 });
      const row = dialog.getByRole("row", { name: new RegExp(`^Deployment ${failed}`) });
      await expect(row).toContainText("E_STEP_FAILED");
      // The row shows the error's first line; the rest, the log tail, opens on demand.
      const full = row.getByRole("button", { name: "Show the full error" });
      await expect(full).toHaveAttribute("aria-expanded", "false");
      await full.click();
      await expect(full).toHaveAttribute("aria-expanded", "true");
      await expect(row.getByRole("region", { name: `Error of ${failed}` })).toContainText("error: builder for");
      await expect(dialog.getByRole("button", { name: `Roll back to ${first}` })).toBeInViewport({ ratio: 1 });
      if (width === 1280) await picture(page, "deploy-history-failed-1280");
      await dialog.getByRole("button", { name: "Close" }).click();
      await expect(dialog).toBeHidden();
    }
  });

  test("Roll back from History asks first, naming what goes where; Cancel sends nothing", async ({ page, stack, leaf }) => {
    if (await successThenFailure(page, stack.url, leaf)) await panel(page).getByRole("button", { name: "Close deployment" }).click();
    await instance(page).getByRole("button", { name: "History" }).click();
    const rows = history(page).getByRole("row", { name: /^Deployment d-/ });
    await expect(rows).toHaveCount(2);
    await history(page).getByRole("button", { name: `Roll back to ${first}` }).click();
    const ask = page.getByRole("dialog", { name: "Roll back cim-minimal?" });
    await expect(ask).toContainText(`the files of ${first}`);
    await expect(ask).toContainText(`cim-minimal on leaf ${LEAF}`);
    await ask.getByRole("button", { name: "Cancel" }).click();
    await expect(ask).toBeHidden();
    // Still open, and nothing was sent.
    await expect(rows).toHaveCount(2);
    await expect(panel(page)).toBeHidden();

    await history(page).getByRole("button", { name: `Roll back to ${first}` }).click();
    await ask.getByRole("button", { name: `Roll back to ${first}` }).click();
    await expect(history(page)).toBeHidden();
    await expect(state(page)).toHaveText("succeeded");
  });
});

test("reload during a deployment reopens its panel; at 1280 the panel leaves the bar's History button free", async ({ page, stack, leaf }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  fake(leaf, { "build.sleep": "3" });
  await openDesign(page, stack.url);
  const id = await deploy(page);
  await expect(panel(page).getByRole("listitem", { name: "Step build: running" })).toBeVisible();
  await page.reload();
  await expect(panel(page).locator("h2 + span")).toHaveText(id);
  const historyButton = instance(page).getByRole("button", { name: "History" });
  await expect.poll(() => onTop(historyButton)).toBe(true);
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

test("the Deploy dialog shows every label and field in full at 1280×720 and 1920×1080", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  for (const [width, height] of [[1920, 1080], [1280, 720]] as const) {
    await page.setViewportSize({ width, height });
    await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Deploy cim-minimal" });
    await expect(dialog.getByLabel("Leaf")).toHaveValue(LEAF);
    for (const label of ["Leaf", "Action", "Confirmation", "Confirmation timeout (seconds)"]) {
      await expect(dialog.getByText(label, { exact: true })).toBeInViewport({ ratio: 1 });
      await expect(dialog.getByLabel(label, { exact: true })).toBeInViewport({ ratio: 1 });
    }
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  }
});

test("an instance whose Id is empty is named as the problem, not a missing instance", async ({ page, stack, leaf: _up }) => {
  await openDesign(page, stack.url);
  const bar = page.getByRole("region", { name: "Deploy" });
  await page.getByLabel("Id", { exact: true }).fill("");
  await expect(bar).toContainText("The CIM instance has no valid Id: set its Id in the inspector to deploy it.");
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

/** How many of the log's drawn lines lie wholly outside its box: rows drawn ahead for a scroll. */
const unseen = (log: Locator) =>
  log.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll("[data-line]")].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom <= box.top || r.top >= box.bottom;
    }).length;
  });

test("the log draws only the lines in view, follows its end as they come, stops following when scrolled up and again at the end; Copy log has them all", async ({ page, stack, leaf }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  fake(leaf, { "build.lines": "3000", "build.sleep": "2" });
  await openDesign(page, stack.url);
  await deploy(page);
  await expect(state(page)).toHaveText("succeeded");
  const log = panel(page).getByRole("log", { name: "Deployment log" });
  const follow = panel(page).getByRole("button", { name: "Follow" });
  const lines = Number((await panel(page).getByLabel("Log line count").textContent())!.replace(" lines", ""));
  expect(lines).toBeGreaterThan(3000);
  // Followed to the end while the build streamed: the last line is in sight, the first not drawn.
  await expect(follow).toHaveAttribute("aria-pressed", "true");
  await expect(log.locator(`[data-line="${lines}"]`)).toBeInViewport();
  await expect(log.locator('[data-line="1"]')).toHaveCount(0);
  expect(await log.locator("[data-line]").count()).toBeLessThan(200);
  // Following, no row is drawn beyond the view: a batch of lines taller than the view draws only its end.
  await expect.poll(() => unseen(log)).toBe(0);

  await log.hover();
  await page.mouse.wheel(0, -lines * 18);
  await expect(follow).toHaveAttribute("aria-pressed", "false");
  await expect(log.locator('[data-line="1"]')).toBeInViewport();
  await expect(log.locator(`[data-line="${lines}"]`)).toHaveCount(0);
  // Not following, rows beyond the view are drawn, for the reader's next scroll.
  await expect.poll(() => unseen(log)).toBeGreaterThan(0);

  await page.mouse.wheel(0, lines * 18);
  await expect(follow).toHaveAttribute("aria-pressed", "true");
  await expect(log.locator(`[data-line="${lines}"]`)).toBeInViewport();
  // Follow turned off by its button leaves the reader where they are.
  await follow.click();
  await expect(follow).toHaveAttribute("aria-pressed", "false");
  await expect(log.locator(`[data-line="${lines}"]`)).toBeInViewport();

  await panel(page).getByRole("button", { name: "Copy log" }).click();
  await expect(panel(page).getByRole("status").filter({ hasText: "Copied" })).toHaveText(`Copied ${lines} lines`);
  const copied = (await page.evaluate(() => navigator.clipboard.readText())).split("\n");
  expect(copied).toHaveLength(lines);
  expect(copied).toContain("build output line 0");
  expect(copied).toContain("build output line 2999");
});
