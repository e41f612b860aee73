import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { connect, designFile, importDesign, node } from "./canvas";

const edges = (page: Page) => page.locator(".react-flow__edge");

test("the canvas refuses an edge the target cannot build on, saying what it builds on, and accepts one it can", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await page.getByRole("button", { name: "Fit View" }).click();
  await expect(edges(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Add Redis" }).click();
  await expect(node(page, "redis-1")).toBeVisible();
  await page.getByRole("button", { name: "Fit View" }).click();

  await connect(page, "redis-1", "nats");
  const refused = page.getByRole("alert", { name: "Connection refused" });
  await expect(refused).toContainText("NATS leaf node (nats) cannot build on Redis (redis-1)");
  await expect(refused).toContainText("builds on settings");
  await expect(edges(page)).toHaveCount(3);
  await refused.getByRole("button", { name: "Dismiss" }).click();

  // A domain may build on a data store: the edge is made.
  await connect(page, "redis-1", "graph");
  await expect(edges(page)).toHaveCount(4);
  await expect(page.getByRole("alert", { name: "Connection refused" })).toHaveCount(0);
});

test("a loaded design with a meaningless edge shows it as a problem on the edge; a click on the problem selects the edge", async ({ page, stack }) => {
  const file = designFile("meaningless.json", {
    version: 1,
    name: "Meaningless edge",
    nodes: [
      { id: "cache", kind: "redis", position: { x: 0, y: 0 } },
      { id: "leaf", kind: "nats-leaf", position: { x: 300, y: 0 } },
      { id: "host", kind: "cim-instance", position: { x: 600, y: 0 }, config: { id: "cim-one" } },
    ],
    edges: [
      { id: "e1", source: "cache", target: "leaf" },
      { id: "e2", source: "leaf", target: "host" },
    ],
  });
  await page.goto(stack.url);
  await importDesign(page, file);
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Meaningless edge");

  const problem = page.getByRole("list", { name: "Problems" }).getByRole("button").filter({ hasText: "cannot build on Redis (cache)" });
  await expect(problem).toContainText("E_EDGE_KIND");
  const bad = page.getByRole("group", { name: /^Edge from cache to leaf: / });
  await expect(bad).toHaveAccessibleName(/NATS leaf node \(leaf\) cannot build on Redis \(cache\)/);
  await expect(bad).toHaveClass(/edge-problem/);
  await expect(page.getByRole("group", { name: "Edge from leaf to host" })).not.toHaveClass(/edge-problem/);

  await problem.click();
  await expect(bad).toHaveClass(/selected/);
  const panel = page.getByRole("complementary", { name: "Side panel" });
  await expect(panel.getByRole("alert")).toContainText("cannot build on Redis (cache)");
  await panel.getByRole("button", { name: "Remove this connection" }).click();
  await expect(edges(page)).toHaveCount(1);
  await expect(page.getByRole("list", { name: "Problems" })).not.toContainText("E_EDGE_KIND");
});
