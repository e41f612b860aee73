import { defineConfig } from "vitest/config";

// The homes of tests (docs/testing.md): fast, pure unit tests beside their code; proofs that run
// a real tool on generated output; integration tests, which start their own nats-server; rules
// over the source tree. e2e specs belong to Playwright.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/proofs/*.test.ts", "tests/integration/*.test.ts", "tests/architecture/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", "dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time (the default on two cores is one): most integration tests wait.
    maxWorkers: 2,
    globalSetup: ["tests/support/globalSetup.ts"],
  },
});
