// Playwright: a production build (`next build` once, in global setup) served by `next start` per worker.
import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./test/support/chromium";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./test/support/playwright-setup.ts",
  outputDir: "./test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    ...devices["Desktop Chrome"],
    // A failed test keeps its trace (actions, network, console) plus a screenshot and the page's ARIA snapshot
    // (error-context.md). The trace's filmstrip and DOM snapshots are off: recorded for every test, they cost a
    // third of the suite's time on 2 cores (26 tests: 191 s with, 132 s without; docs/benchmarks.md).
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: false },
    screenshot: "only-on-failure",
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
});
