import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. The flags keep it from reaching for the
// network, which is closed on these machines.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./tests/support/globalSetup.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two specs at a time: a run waits more than it computes (the job used 0.7 of a core with two).
  workers: 2,
  retries: 0,
  reporter: "list",
  outputDir: ".test-output/playwright",
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
  },
});
