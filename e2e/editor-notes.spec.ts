import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { expect, test } from "./fixtures";
import { node } from "./canvas";

const dir = mkdtempSync(join(tmpdir(), "alchemist-notes-"));

async function exported(page: Page, button: "Export design" | "Export flake"): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return readFileSync(path);
}

const flakeFiles = async (page: Page): Promise<Record<string, string>> =>
  Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await exported(page, "Export flake")))).map(([path, bytes]) => [path, strFromU8(bytes)]));

// The design's hash is in flake.nix's header comment and the README: notes change it, as they change alchemist.json.
const withoutHash = (text: string) => text.replace(/sha256-[0-9a-f]{64}/g, "sha256-…");

test("a note is added, written in, recoloured, moved and undone; it is saved, exported in alchemist.json, and changes no Nix file", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(node(page, "host")).toBeVisible();
  const before = await flakeFiles(page);

  await page.getByRole("button", { name: "Add note" }).click();
  const note = page.getByRole("region", { name: "Note 1" });
  await expect(note).toBeVisible();
  // The new note has the cursor: typing goes into it.
  await expect(note.getByRole("textbox", { name: "Note text" })).toBeFocused();
  const text = 'Ask ops before\nchanging the hub "URL" ${x}';
  await note.getByRole("textbox", { name: "Note text" }).fill(text);
  await note.getByRole("combobox", { name: "Note colour" }).selectOption("blue");
  await note.getByRole("button", { name: "Move note 1" }).focus();
  await page.keyboard.press("ArrowRight");

  const design = JSON.parse((await exported(page, "Export design")).toString("utf8"));
  expect(design.version).toBe(2);
  expect(design.notes).toEqual([{ id: "note-1", text, color: "blue", position: expect.objectContaining({}) }]);
  const placed = design.notes[0].position;

  // Undo takes back the move, the colour, the text and the note itself, one step each.
  await page.getByRole("button", { name: "Undo" }).click();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(note.getByRole("combobox", { name: "Note colour" })).toHaveValue("yellow");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(note.getByRole("textbox", { name: "Note text" })).toHaveValue("");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(note).toHaveCount(0);
  for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "Redo" }).click();
  await expect(note.getByRole("textbox", { name: "Note text" })).toHaveValue(text);
  await expect(note.getByRole("combobox", { name: "Note colour" })).toHaveValue("blue");

  await page.reload();
  await expect(page.getByRole("region", { name: "Note 1" }).getByRole("textbox", { name: "Note text" })).toHaveValue(text);

  const after = await flakeFiles(page);
  expect(Object.keys(after)).toEqual(Object.keys(before));
  expect(JSON.parse(after["alchemist.json"]!).notes).toEqual([{ id: "note-1", text, color: "blue", position: placed }]);
  for (const path of Object.keys(before).filter((p) => p !== "alchemist.json")) expect(withoutHash(after[path]!), path).toBe(withoutHash(before[path]!));

  await page.getByRole("region", { name: "Note 1" }).getByRole("button", { name: "Remove note" }).click();
  await expect(page.getByRole("region", { name: "Note 1" })).toHaveCount(0);
  expect(JSON.parse((await exported(page, "Export design")).toString("utf8"))).not.toHaveProperty("notes");
});

test("a note is dragged by its handle, as one undo step", async ({ page, stack }) => {
  await page.goto(stack.url);
  await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
  await expect(node(page, "host")).toBeVisible();
  await page.getByRole("button", { name: "Add note" }).click();
  const handle = page.getByRole("button", { name: "Move note 1" });
  const start = (await handle.boundingBox())!;
  await page.mouse.move(start.x + 10, start.y + 5);
  await page.mouse.down();
  await page.mouse.move(start.x + 110, start.y + 85, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await handle.boundingBox())!.x).toBeGreaterThan(start.x + 90);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect.poll(async () => (await handle.boundingBox())!.x).toBe(start.x);
  await expect(page.getByRole("region", { name: "Note 1" })).toBeVisible();
});
