import type { Page } from "@playwright/test";
import { expect, stackTest as test } from "./fixtures";

// The browser's own design list, logged out: with a login it also holds the hub's designs (every
// spec's, in one run), which e2e/designs-hub.spec.ts tests.

const nodes = (page: Page) => page.locator(".react-flow__node");
const designName = (page: Page) => page.getByRole("heading", { name: "Design name" });

/** Opens the design list and returns it. */
async function designList(page: Page) {
  await page.getByRole("button", { name: "Designs", exact: true }).click();
  const list = page.getByRole("dialog", { name: "Designs" });
  await expect(list).toBeVisible();
  return list;
}

test("the design list keeps several designs: new, rename, switch, duplicate, delete, and after a reload", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(nodes(page)).toHaveCount(4);

  let list = await designList(page);
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list.getByRole("listitem")).toContainText("Minimal CIM (open)");
  await list.getByRole("button", { name: "New design" }).click();
  await expect(list).toBeHidden();
  await expect(designName(page)).toHaveText("Untitled design");
  await expect(page.getByRole("region", { name: "Get started" })).toBeVisible();
  await page.getByRole("button", { name: "Add Redis" }).click();
  await expect(nodes(page)).toHaveCount(1);

  list = await designList(page);
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await list.getByRole("button", { name: "Rename Untitled design" }).click();
  await list.getByRole("textbox", { name: "New name for Untitled design" }).fill("Scratch");
  await list.getByRole("button", { name: "Save name" }).click();
  await expect(designName(page)).toHaveText("Scratch");
  await expect(list.getByRole("listitem").filter({ hasText: "Scratch" })).toContainText("(open)");

  await list.getByRole("button", { name: "Open Minimal CIM" }).click();
  await expect(list).toBeHidden();
  await expect(designName(page)).toHaveText("Minimal CIM");
  await expect(nodes(page)).toHaveCount(4);

  list = await designList(page);
  await list.getByRole("button", { name: "Duplicate Minimal CIM" }).click();
  await expect(designName(page)).toHaveText("Minimal CIM (copy)");
  await expect(nodes(page)).toHaveCount(4);

  list = await designList(page);
  await expect(list.getByRole("listitem")).toHaveCount(3);
  page.once("dialog", (d) => void d.accept());
  await list.getByRole("button", { name: "Delete Scratch" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list).not.toContainText("Scratch");
  // Deleting the open design opens the most recent one left.
  page.once("dialog", (d) => void d.accept());
  await list.getByRole("button", { name: "Delete Minimal CIM (copy)" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(designName(page)).toHaveText("Minimal CIM");
  await list.getByRole("button", { name: "Close" }).click();

  await page.reload();
  await expect(designName(page)).toHaveText("Minimal CIM");
  await expect(nodes(page)).toHaveCount(4);
  list = await designList(page);
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list.getByRole("listitem")).toContainText("Minimal CIM (open)");
});

test("a refused delete keeps the design", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  const list = await designList(page);
  page.once("dialog", (d) => void d.dismiss());
  await list.getByRole("button", { name: "Delete Minimal CIM" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(designName(page)).toHaveText("Minimal CIM");
});
