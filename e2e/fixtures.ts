import { test as base, expect, type Page } from "@playwright/test";
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

/** As stackTest, with every test's page logged in (kept in the context's storage, as after a real login). */
export const test = stackTest.extend({
  page: async ({ page, stack }, use) => {
    await logIn(page, stack);
    await use(page);
  },
});

export { expect };
