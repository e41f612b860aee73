import { test as base, expect, type BrowserContextOptions, type Page } from "@playwright/test";
import { LOGIN_STORAGE_KEY } from "../src/app/hub/credentials";
import { startStack, type RunningStack } from "../tests/support/stack";

/** Logs the page in the way a person does: by opening the login link `up` printed. */
export async function logIn(page: Page, stack: RunningStack): Promise<void> {
  await page.goto(stack.loginUrl);
  await expect(page.getByRole("status", { name: "Hub connection" })).toHaveAttribute("data-state", "connected");
}

/** Each spec file gets the real local stack (`alchemist up`) on free ports; pages start logged out. */
export const stackTest = base.extend<{}, { stack: RunningStack }>({
  stack: [
    async ({}, use) => {
      const stack = await startStack();
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],
});

/**
 * As stackTest, with every test's page logged in: the login link is opened once per stack, and
 * each test's browser context starts with the storage that login left (as after a real login).
 * Logging in again for every test loaded the app twice per test.
 */
export const test = stackTest.extend<{}, { loggedIn: BrowserContextOptions["storageState"] }>({
  loggedIn: [
    async ({ stack, browser }, use) => {
      const context = await browser.newContext();
      await logIn(await context.newPage(), stack);
      const { cookies, origins } = await context.storageState();
      await context.close();
      // The login only: what else the app kept (the open design's id among it) is each test's own.
      await use({ cookies, origins: origins.map((o) => ({ ...o, localStorage: o.localStorage.filter((e) => e.name === LOGIN_STORAGE_KEY) })) });
    },
    { scope: "worker" },
  ],
  storageState: ({ loggedIn }, use) => use(loggedIn),
});

export { expect };
