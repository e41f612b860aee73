import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import { testWithLeaf, type Leaf } from "./leaf";
import { deployDialog, deploying, fake, instance, panel, state } from "./deploying";
import { STEPS } from "../src/core/protocol";

// Issue 15, the offline queue: a deployment for a registered leaf that is away waits for it.
const LEAF = "leaf-queue";
const test = testWithLeaf(LEAF);
const { openDesign } = deploying(LEAF);

const leafRow = (page: Page) => page.getByRole("region", { name: "Leaves" }).getByRole("row", { name: `Leaf ${LEAF}` });
const waiting = (page: Page) => panel(page).getByRole("status", { name: "Waiting for the leaf" });
const calls = (leaf: Leaf) => {
  const log = join(leaf.executor.control, "calls.log");
  return existsSync(log) ? readFileSync(log, "utf8") : "";
};

/** The design pointed at the leaf, seen online, then its executor stopped: the page shows it offline. */
async function leafAway(page: Page, url: string, leaf: Leaf): Promise<void> {
  fake(leaf);
  await openDesign(page, url);
  await page.getByRole("button", { name: /^Leaves/ }).click();
  await expect(leafRow(page)).toContainText("online");
  await leaf.stopExecutor();
  await expect(leafRow(page)).toContainText("offline");
  await page.getByRole("button", { name: /^Leaves/ }).click();
}

/** Deploys to the offline leaf through the dialog, which says the command will wait and for how long; returns the deployment id. */
async function deployWhileAway(page: Page): Promise<string> {
  await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
  const dialog = deployDialog(page);
  await expect(dialog.getByLabel("Leaf")).toHaveValue(LEAF);
  await expect(dialog.getByRole("option", { name: `${LEAF} (offline)` })).toBeEnabled();
  const notice = dialog.getByRole("note", { name: "Command will wait" });
  await expect(notice).toContainText(`Leaf ${LEAF} is offline: the command will wait in the hub's command stream and run when the leaf comes back.`);
  // The stream's own max age, as the hub reports it (`alchemist up`'s default: a day).
  await expect(notice).toContainText("The hub keeps a command for 1 day: one its leaf has not taken by then is dropped and never runs.");
  await dialog.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(dialog).toBeHidden();
  const id = (await panel(page).locator("h2 + span").textContent())!;
  expect(id).toMatch(/^d-/);
  await expect(state(page)).toHaveText("pending");
  await expect(waiting(page)).toContainText(`waiting for leaf ${LEAF}`);
  await expect(waiting(page)).toContainText("The hub keeps a command for 1 day");
  return id;
}

test.describe.serial("deploying to a leaf that is away", () => {
  test("an offline leaf can be chosen; the deployment waits for it and runs when it comes back", async ({ page, stack, leaf }) => {
    await leafAway(page, stack.url, leaf);
    const id = await deployWhileAway(page);
    // Nothing reaches the leaf while it is away.
    expect(await leaf.events(id)).toEqual([]);
    await leaf.startExecutorAgain();
    await expect(state(page)).toHaveText("succeeded", { timeout: 30_000 });
    await expect(waiting(page)).toBeHidden();
    await expect(panel(page).getByRole("listitem", { name: "Step activate: ok" })).toBeVisible();
    expect(calls(leaf)).toContain(id);
  });

  test("a deployment cancelled while it waits never runs: cancelled, no step, nothing reaches nixos-rebuild", async ({ page, stack, leaf }) => {
    await leafAway(page, stack.url, leaf);
    const id = await deployWhileAway(page);
    await panel(page).getByRole("button", { name: "Cancel" }).click();
    await expect(panel(page).getByRole("status").filter({ hasText: "Cancel sent" })).toContainText("the leaf ends it cancelled, running nothing, when it takes the command");
    await leaf.startExecutorAgain();
    await expect(state(page)).toHaveText("cancelled", { timeout: 30_000 });
    for (const step of STEPS) await expect(panel(page).getByRole("listitem", { name: `Step ${step}: not run` })).toBeVisible();
    const events = await leaf.events(id);
    expect(events.map((e) => e.type)).toEqual(["accepted", "cancelled"]);
    expect(events.at(-1)).toMatchObject({ reason: `cancelled by browser while it waited for leaf ${LEAF}, before it started` });
    expect(calls(leaf)).not.toContain(id);
  });
});
