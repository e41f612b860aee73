import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";
import type { Leaf } from "./leaf";

// What the deploy specs share: the fake nixos-rebuild's switches and the steps of a deployment.

/** How the fake nixos-rebuild behaves for the next deployment: `{ "build.exit": "1" }` and the like. */
export function fake(leaf: Leaf, files: Record<string, string> = {}) {
  for (const f of ["build.exit", "build.sleep", "build.lines", "switch.exit", "switch.sleep", "inactive-units"]) rmSync(join(leaf.executor.control, f), { force: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(leaf.executor.control, f), text);
}

/** With SCREENSHOTS=1 the specs also take the pictures of docs/deploy.md, at the size they test. */
export async function picture(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS === "1") await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] [data-deploy-state], .react-flow__node[data-id="${id}"] > div`).first();
export const instance = (page: Page) => page.getByRole("group", { name: "Instance cim-minimal" });
export const panel = (page: Page) => page.getByRole("region", { name: "Deployment" });
export const state = (page: Page) => panel(page).getByRole("status", { name: "Deployment state" });
export const deployDialog = (page: Page) => page.getByRole("dialog", { name: "Deploy cim-minimal" });

/** The steps of a deployment through the page, for the design pointed at `leafId`. */
export function deploying(leafId: string) {
  /** Opens the deploy dialog, sets it up, optionally reviews, sends; returns the new deployment id. */
  async function deploy(page: Page, opts: { review?: (review: ReturnType<Page["getByRole"]>) => Promise<void>; mode?: "manual"; timeout?: string } = {}): Promise<string> {
    await instance(page).getByRole("button", { name: "Deploy", exact: true }).click();
    const dialog = deployDialog(page);
    await expect(dialog.getByLabel("Leaf")).toHaveValue(leafId);
    await expect(dialog.getByLabel("Action")).toHaveValue("switch");
    if (opts.mode) await dialog.getByLabel("Confirmation", { exact: true }).selectOption(opts.mode);
    if (opts.timeout) await dialog.getByLabel("Confirmation timeout (seconds)").fill(opts.timeout);
    if (opts.review) {
      await dialog.getByRole("button", { name: "Review" }).click();
      await opts.review(dialog.getByRole("region", { name: "Review" }));
    }
    await dialog.getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(dialog).toBeHidden();
    const id = (await panel(page).locator("h2 + span").textContent())!;
    expect(id).toMatch(/^d-/);
    return id;
  }

  /** A fresh page (a test's own browser context) with the Minimal template pointed at the leaf. */
  async function openDesign(page: Page, url: string) {
    await page.goto(url);
    await page.getByRole("button", { name: "Start from Minimal CIM" }).click();
    await page.locator('.react-flow__node[data-id="host"]').click();
    await page.getByLabel("Leaf executor").fill(leafId);
  }
  return { deploy, openDesign };
}
