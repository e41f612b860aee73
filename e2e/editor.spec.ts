import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Download, Page } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { designHash } from "../src/core/design/canonical";
import { parseDesign } from "../src/core/design/load";
import { parseFiles } from "../tests/support/nix";
import { expect, test } from "./fixtures";
import { connect, node } from "./canvas";

/**
 * The whole text of the previewed file. CodeMirror renders only the lines in view, so the text
 * comes from its state, found from the DOM as `EditorView.findFromDOM` finds it.
 */
const previewText = (page: Page) =>
  page
    .getByRole("tabpanel")
    .locator(".cm-content")
    .evaluate((el) => (el as unknown as { cmTile: { root: { view: { state: { doc: { toString(): string } } } } } }).cmTile.root.view.state.doc.toString());

const previewShows = (page: Page, text: string) => expect.poll(() => previewText(page)).toContain(text);
const problems = (page: Page) => page.getByRole("list", { name: "Problems" });

/** What Production leaves for the person to fill in: its leaf executor's credentials and trusted keys, two warnings. */
/** What Production leaves for the person: the executor's credentials and keys, the backup server's host key. */
async function onlyWhatThePersonMustSupply(page: Page): Promise<void> {
  await expect(problems(page).getByRole("listitem")).toHaveCount(3);
  await expect(problems(page)).toContainText("W_EXECUTOR_CREDS");
  await expect(problems(page)).toContainText("W_EXECUTOR_KEYS");
  await expect(problems(page)).toContainText("Repository host key");
}

async function saved(download: Download, dir: string): Promise<Buffer> {
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path);
}

test("a new user starts from a template, adds and connects a node, edits, sees the preview and problems follow, undoes, redoes and reloads", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(page.getByRole("region", { name: "Get started" })).toBeVisible();
  await page.getByRole("button", { name: "Start from Production CIM" }).click();
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Production CIM");
  await expect(node(page, "host")).toBeVisible();

  await page.getByRole("button", { name: "Add Neo4j" }).click();
  await expect(node(page, "neo4j-1")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Side panel" })).toContainText("Neo4j");
  await expect(problems(page)).toContainText("no path to any CIM instance");

  await page.getByRole("button", { name: "Fit View" }).click();
  await connect(page, "neo4j-1", "host");
  await expect(problems(page)).not.toContainText("no path to any CIM instance");
  await onlyWhatThePersonMustSupply(page);
  await page.getByRole("tab", { name: "Nix preview" }).click();
  await previewShows(page, "services.neo4j");

  // An edge that would close a cycle is refused, and the reason is shown.
  await connect(page, "graph", "nats");
  await expect(page.getByRole("alert", { name: "Connection refused" })).toContainText("would close a cycle");
  await page.getByRole("button", { name: "Dismiss" }).click();

  await node(page, "monitoring").click();
  const grafana = page.getByLabel("Grafana port");
  await expect(grafana).toHaveValue("3000");
  await grafana.fill("3001");
  await previewShows(page, "http_port = 3001");

  await grafana.fill("7474");
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(problems(page)).toContainText("7474");
  await expect(page.getByRole("alert").filter({ hasText: "7474" })).toBeVisible();
  await grafana.fill("3002");
  await expect(problems(page)).not.toContainText("7474");
  await onlyWhatThePersonMustSupply(page);

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(grafana).not.toHaveValue("3002");
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(grafana).toHaveValue("3002");

  await page.reload();
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Production CIM");
  await expect(node(page, "neo4j-1")).toBeVisible();
  await node(page, "monitoring").click();
  await expect(page.getByLabel("Grafana port")).toHaveValue("3002");
  await page.getByRole("tab", { name: "Nix preview" }).click();
  await previewShows(page, "http_port = 3002");
});

test("the exported flake parses with nix-instantiate, and importing it gives the same design", async ({ page, stack }) => {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-export-"));
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Templates" }).click();
  await page.getByRole("dialog", { name: "Templates" }).getByRole("button", { name: "Start from Production CIM" }).click();
  await page.getByRole("button", { name: "Add Redis" }).click();

  const [flake] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export flake" }).click()]);
  const zip = await saved(flake, dir);
  const files = unzipSync(new Uint8Array(zip));
  expect(Object.keys(files)).toEqual(expect.arrayContaining(["flake.nix", "modules/cim.nix", "hosts/cim-prod-001/default.nix", "alchemist.json", "README.md"]));
  const tree = join(dir, "flake");
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), bytes);
  }
  const parsed = parseFiles(tree);
  expect(parsed.length).toBeGreaterThanOrEqual(3);
  expect(parsed.filter((f) => !f.result.ok)).toEqual([]);
  const exported = parseDesign(strFromU8(files["alchemist.json"]!)).design!;
  expect(exported.nodes.map((n) => n.id)).toContain("redis-1");

  await page.getByRole("button", { name: "Templates" }).click();
  await page.getByRole("dialog", { name: "Templates" }).getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Minimal CIM");

  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Import" }).click()]);
  await chooser.setFiles(join(dir, flake.suggestedFilename()));
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Production CIM");
  const [design] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export design" }).click()]);
  const reimported = parseDesign((await saved(design, dir)).toString("utf8")).design!;
  expect(designHash(reimported)).toBe(designHash(exported));
});

test("importing a broken file shows what is wrong and leaves the design untouched", async ({ page, stack }) => {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-import-"));
  const broken = join(dir, "broken.json");
  writeFileSync(broken, JSON.stringify({ version: 1, name: "Broken", nodes: [{ id: "a", kind: "redis", position: { x: "left", y: 0 } }], edges: [] }));
  const notes = join(dir, "notes.txt");
  writeFileSync(notes, "not a design");

  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(node(page, "graph")).toBeVisible();

  for (const [file, reason] of [
    [broken, "nodes[0].position.x: expected a number, got a string"],
    [notes, "notes.txt is neither a design file (JSON) nor an exported flake (.zip)"],
  ] as const) {
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Import" }).click()]);
    await chooser.setFiles(file);
    const alert = page.getByRole("alert", { name: /was not imported/ });
    await expect(alert).toContainText(reason);
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Minimal CIM");
    await expect(page.locator(".react-flow__node")).toHaveCount(4);
  }
});
