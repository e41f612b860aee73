import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { designFile, importDesign, node } from "./canvas";

const problems = (page: Page) => page.getByRole("list", { name: "Problems" });
const inspector = (page: Page) => page.getByRole("complementary", { name: "Side panel" });

// What a label may hold that would break a Nix string or a page if anything let it through.
const HOSTILE = `Cache "1" \${builtins.abort "x"} '' <b>&amp;</b>`;

test("a node's label, given in the inspector, shows on its card, in the problems list and the Nix preview's tree, is undone, kept on reload and exported in a version 2 file", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(node(page, "host")).toBeVisible();

  // A Redis with no path to an instance: a problem on that node.
  await page.getByRole("button", { name: "Add Redis" }).click();
  await expect(node(page, "redis-1")).toBeVisible();
  await inspector(page).getByRole("textbox", { name: "Label" }).fill(HOSTILE);
  await expect(node(page, "redis-1")).toContainText(HOSTILE);
  await expect(problems(page).getByRole("button").filter({ hasText: "no path to any CIM instance" })).toContainText(`Redis ${HOSTILE} (redis-1)`);

  // The instance's label stands beside its folder in the preview; no Nix file holds it.
  await node(page, "host").click();
  await inspector(page).getByRole("textbox", { name: "Label" }).fill("Shop floor");
  await expect(node(page, "host")).toContainText("Shop floor");
  // Heard by a screen reader too: the card's accessible name ends with the label.
  await expect(page.getByRole("group", { name: "CIM instance (a NixOS host) host, Shop floor" })).toHaveCount(1);
  await page.getByRole("tab", { name: "Nix preview" }).click();
  const tree = page.getByRole("navigation", { name: "Flake files" });
  await expect(tree.getByRole("listitem").filter({ has: page.getByRole("list", { name: "hosts/cim-minimal" }) }).first()).toContainText("cim-minimal/ Shop floor");
  await tree.getByRole("list", { name: "hosts/cim-minimal" }).getByRole("button", { name: "default.nix" }).click();
  await expect(page.getByRole("tabpanel").locator(".cm-content")).toContainText("networking.hostName");
  await expect(page.getByRole("tabpanel").locator(".cm-content")).not.toContainText("Shop floor");

  // One undo takes the label back off, one redo puts it on again.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(node(page, "host")).not.toContainText("Shop floor");
  await expect(inspector(page).getByRole("textbox", { name: "Label" })).toHaveValue("");
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(node(page, "host")).toContainText("Shop floor");

  await page.reload();
  await expect(node(page, "host")).toContainText("Shop floor");
  await expect(node(page, "redis-1")).toContainText(HOSTILE);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export design" }).click()]);
  const path = join(mkdtempSync(join(tmpdir(), "alchemist-labels-")), download.suggestedFilename());
  await download.saveAs(path);
  const exported = JSON.parse(readFileSync(path, "utf8"));
  expect(exported.version).toBe(2);
  expect(exported.nodes.find((n: { id: string }) => n.id === "host").label).toBe("Shop floor");
  expect(exported.nodes.find((n: { id: string }) => n.id === "redis-1").label).toBe(HOSTILE);
});

test("an emptied label is no label; a version 1 file opens; a label too long to show is refused with the node named", async ({ page, stack }) => {
  await page.goto(stack.url);
  const v1 = { version: 1, name: "Old file", nodes: [{ id: "r", kind: "redis", position: { x: 0, y: 0 } }], edges: [] };
  await importDesign(page, designFile("old.json", v1));
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Old file");
  await node(page, "r").click();
  const label = inspector(page).getByRole("textbox", { name: "Label" });
  await label.fill("temporary");
  await expect(node(page, "r")).toContainText("temporary");
  await label.fill("");
  await expect(node(page, "r")).not.toContainText("temporary");

  const long = { ...v1, version: 2, name: "Long label", nodes: [{ ...v1.nodes[0], label: "x".repeat(10_000) }] };
  await importDesign(page, designFile("long.json", long));
  const alert = page.getByRole("alert", { name: /was not imported/ });
  await expect(alert).toContainText("nodes[0].label: the label of node r: expected at most 100 characters, got 10000");
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Old file");
});
