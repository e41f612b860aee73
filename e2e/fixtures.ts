import { test as base } from "@playwright/test";
import { startStack, type RunningStack } from "../tests/support/stack";

/** Each spec file gets the real local stack (`alchemist up`) on free ports. */
export const test = base.extend<{}, { stack: RunningStack }>({
  stack: [
    async ({}, use) => {
      const stack = await startStack();
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],
});

export { expect } from "@playwright/test";
