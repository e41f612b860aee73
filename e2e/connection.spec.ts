import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, logIn, test } from "./fixtures";
import { startStack } from "../tests/support/stack";

const indicator = (page: Page) => page.getByRole("status", { name: "Hub connection" });

/** Records every state the indicator passes through, so short-lived states are not missed. */
async function recordStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const el = document.querySelector('[aria-label="Hub connection"]')!;
    const seen: string[] = [el.getAttribute("data-state")!];
    (window as unknown as { __hubStates: string[] }).__hubStates = seen;
    new MutationObserver(() => {
      const s = el.getAttribute("data-state")!;
      if (seen[seen.length - 1] !== s) seen.push(s);
    }).observe(el, { attributes: true, attributeFilter: ["data-state"] });
  });
  return () => page.evaluate(() => (window as unknown as { __hubStates: string[] }).__hubStates);
}

test("the shell shows the design, an empty canvas with minimap and controls, and a side panel", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(page.getByRole("heading", { name: "Design name" })).toHaveText("Untitled design");
  await expect(page.getByRole("main", { name: "Design canvas" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Minimap" })).toBeVisible();
  await expect(page.getByRole("button", { name: /zoom in/i })).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Side panel" })).toBeVisible();
});

test("the indicator follows the hub: connected, reconnecting when it dies, connected again without a reload", async ({ page, stack }) => {
  await page.goto(stack.url);
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText(`Connected`);
  await expect(indicator(page)).toContainText(`ws://127.0.0.1:${stack.ports.websocket}`);
  const states = await recordStates(page);

  // Kill the hub's nats-server; `alchemist up` restarts it a moment later.
  const before = stack.hubPid();
  process.kill(before, "SIGKILL");
  await expect.poll(states).toContain("reconnecting");
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  expect(await states()).toEqual(["connected", "reconnecting", "connected"]);
  expect(stack.hubPid()).not.toBe(before);
});

test("a hub that stays away shows offline; a hub started again brings it back without a reload", async ({ page }) => {
  test.setTimeout(90_000);
  // The second stack starts on the first one's state folder, so the browser's login stays valid.
  const stateDir = mkdtempSync(join(tmpdir(), "alchemist-stack-"));
  const first = await startStack({ stateDir });
  await logIn(page, first);
  const states = await recordStates(page);
  const navigations: string[] = [];
  page.on("framenavigated", (f) => navigations.push(f.url()));

  await first.stop();
  await expect(indicator(page)).toHaveAttribute("data-state", "offline", { timeout: 20_000 });
  await expect(indicator(page)).toContainText("Offline");

  const second = await startStack({ ports: first.ports, stateDir });
  try {
    await expect(indicator(page)).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
    expect(await states()).toEqual(["connected", "reconnecting", "offline", "connected"]);
    expect(navigations).toEqual([]);
  } finally {
    await second.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test("the hub URL comes from ?hub= (once confirmed) and from the settings, which refuse a URL that is not ws://", async ({ page, stack }) => {
  const nowhere = "ws://127.0.0.1:9";
  await page.goto(`${stack.url}?hub=${encodeURIComponent(nowhere)}`);
  const ask = page.getByRole("dialog", { name: "Connect to another hub?" });
  await expect(ask).toContainText(nowhere);
  await ask.getByRole("button", { name: "Connect" }).click();
  await expect(indicator(page)).toContainText(nowhere);
  await expect(indicator(page)).not.toHaveAttribute("data-state", "connected");

  await page.getByRole("button", { name: "Hub settings" }).click();
  const field = page.getByRole("textbox", { name: "Hub WebSocket URL" });
  await expect(field).toHaveValue(nowhere);
  await field.fill("http://example.com");
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByRole("alert")).toContainText("must start with ws:// or wss://");

  const real = `ws://127.0.0.1:${stack.ports.websocket}`;
  await field.fill(real);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
  await expect(indicator(page)).toContainText(real);

  // The saved URL is used on the next visit.
  await page.goto(stack.url);
  await expect(indicator(page)).toContainText(real);
  await expect(indicator(page)).toHaveAttribute("data-state", "connected");
});
