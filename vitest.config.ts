import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "app/**/*.test.ts",
      "tools/**/*.test.ts",
      "test/**/*.test.ts",
      "scripts/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that start redis-server / next on free ports run in separate forks.
    pool: "forks",
    // Most files wait on Redis, servers and timers more than they compute: 4 forks on 2 cores take the suite
    // from 130 s to 45–55 s, also beside a `next build` (docs/benchmarks.md, issue 19).
    maxWorkers: 4,
  },
});
