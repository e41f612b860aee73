import { defineConfig } from "vitest/config";

// e2e specs belong to Playwright; vitest runs unit tests (beside the code and in tests/unit)
// and integration tests (tests/integration), which start their own nats-server.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", "dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["tests/support/globalSetup.ts"],
  },
});
