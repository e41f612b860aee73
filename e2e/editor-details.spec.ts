import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { designFile, importDesign, node } from "./canvas";

const problems = (page: Page) => page.getByRole("list", { name: "Problems" });

/** Two hosts, each with its own base system, and one Hardware node both build on (NixOS needs disks and a boot loader). */
const twoHosts = () =>
  designFile("two-hosts.json", {
    version: 1,
    name: "Two hosts",
    nodes: [
      { id: "a", kind: "cim-instance", position: { x: 300, y: 0 }, config: { id: "cim-a" } },
      { id: "b", kind: "cim-instance", position: { x: 300, y: 200 }, config: { id: "cim-b" } },
      { id: "base-a", kind: "base-system", position: { x: 0, y: 0 } },
      { id: "base-b", kind: "base-system", position: { x: 0, y: 200 } },
      { id: "hw", kind: "hardware", position: { x: 0, y: 400 }, config: { rootDevice: "/dev/disk/by-label/nixos" } },
    ],
    edges: [
      { id: "e1", source: "base-a", target: "a" },
      { id: "e2", source: "base-b", target: "b" },
      { id: "e3", source: "hw", target: "a" },
      { id: "e4", source: "hw", target: "b" },
    ],
  });

test("the Nix preview's file tree names its folders: each host's default.nix sits under hosts/<id>/", async ({ page, stack }) => {
  await page.goto(stack.url);
  await importDesign(page, twoHosts());
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Two hosts");
  await page.getByRole("tab", { name: "Nix preview" }).click();
  const tree = page.getByRole("navigation", { name: "Flake files" });
  await expect(tree.getByRole("list", { name: "hosts/cim-a" }).getByRole("button", { name: "default.nix" })).toBeVisible();
  await expect(tree.getByRole("list", { name: "hosts/cim-b" }).getByRole("button", { name: "default.nix" })).toBeVisible();
  await expect(tree.getByRole("list", { name: "modules" }).getByRole("button", { name: "cim.nix" })).toBeVisible();
  for (const folder of ["hosts/", "cim-a/", "cim-b/", "modules/"]) await expect(tree.getByText(folder, { exact: true })).toBeVisible();

  await tree.getByRole("list", { name: "hosts/cim-b" }).getByRole("button", { name: "default.nix" }).click();
  await expect(page.getByRole("tabpanel").getByRole("textbox", { name: "Preview of hosts/cim-b/default.nix" })).toBeVisible();
});

test("an empty design is not said to compile, and no flake without hosts is exported", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(page.getByRole("region", { name: "Get started" })).toBeVisible();
  await expect(problems(page)).toContainText("no CIM instance");
  await expect(page.getByText("No problems: the design compiles.")).toHaveCount(0);
  await page.getByRole("button", { name: "Export flake" }).click();
  await expect(page.getByRole("alert", { name: "The flake was not exported" })).toBeVisible();
});

test("Enter in the palette search adds the one kind that matches", async ({ page, stack }) => {
  await page.goto(stack.url);
  const palette = page.getByRole("complementary", { name: "Palette" });
  const search = palette.getByRole("searchbox", { name: "Search node kinds" });
  await search.fill("qdrant");
  await expect(palette.getByRole("button", { name: /^Add / })).toHaveCount(1);
  await search.press("Enter");
  await expect(node(page, "qdrant-1")).toBeVisible();

  // Several matches: Enter adds none of them.
  await search.fill("nats");
  await expect(palette.getByRole("button", { name: /^Add / })).not.toHaveCount(1);
  await search.press("Enter");
  await expect(page.locator(".react-flow__node")).toHaveCount(1);
});

test("a design of one node is listed as 1 node", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Add Redis" }).click();
  await expect(node(page, "redis-1")).toBeVisible();
  await page.getByRole("button", { name: "Designs", exact: true }).click();
  // The open one: the earlier tests' designs are in the list too, from the hub.
  const item = page.getByRole("dialog", { name: "Designs" }).getByRole("listitem").filter({ hasText: "(open)" });
  await expect(item).toContainText("1 node ·");
});

test("the Hub settings popover closes with Escape and with a click elsewhere", async ({ page, stack }) => {
  await page.goto(stack.url);
  const settings = page.getByRole("form", { name: "Hub settings" });
  const toggle = page.getByRole("button", { name: "Hub settings" });

  await toggle.click();
  await expect(settings).toBeVisible();
  await settings.getByLabel("Hub WebSocket URL").press("Escape");
  await expect(settings).toBeHidden();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(toggle).toBeFocused();

  await toggle.click();
  await expect(settings).toBeVisible();
  await page.getByRole("main", { name: "Design canvas" }).click({ position: { x: 200, y: 200 } });
  await expect(settings).toBeHidden();

  // A click inside keeps it open.
  await toggle.click();
  await settings.getByLabel("Hub WebSocket URL").click();
  await expect(settings).toBeVisible();
});
