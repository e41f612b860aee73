import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";

/** What the editor specs share: finding nodes, connecting them as a person does, design files to import. */

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags from one node's output handle to another's input, as a person connects them. */
/**
 * Where a handle is once the view has stopped moving: right after Fit View or a layout the
 * viewport is still animating, and a drag aimed at the first position misses on a busy machine.
 */
export async function settledBox(page: Page, handle: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await handle.boundingBox();
  for (let i = 0; i < 100; i++) {
    await page.waitForTimeout(50);
    const now = await handle.boundingBox();
    if (now && last && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  if (!last) throw new Error("the handle is not on the page");
  return last;
}

export async function connect(page: Page, from: string, to: string) {
  const a = await settledBox(page, node(page, from).locator(".react-flow__handle.source"));
  const b = await settledBox(page, node(page, to).locator(".react-flow__handle.target"));
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** A design file in a fresh temporary folder, for the Import button; returns its path. */
export function designFile(name: string, design: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "alchemist-design-")), name);
  writeFileSync(file, JSON.stringify(design));
  return file;
}

/** Imports a design file through the header's Import button. */
export async function importDesign(page: Page, file: string) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Import" }).click()]);
  await chooser.setFiles(file);
}

/** Opens the app and starts from a template; done once the node `shown` is on the canvas. */
export async function startFrom(page: Page, url: string, template: string, shown: string) {
  await page.goto(url);
  await page.getByRole("button", { name: `Start from ${template}` }).click();
  await node(page, shown).waitFor();
}
