// Playwright fixtures: each worker gets its own `next start` with the environment its spec file asks for.
import { test as base } from "@playwright/test";
import { type AppServer, startApp } from "./support/app-server";

export interface AppOptions {
  /** Environment for this spec file's server, e.g. short rate-limit windows. */
  appEnv: Record<string, string>;
}

export const test = base.extend<{ appUrl: string }, AppOptions & { app: AppServer }>({
  appEnv: [{}, { scope: "worker", option: true }],
  app: [
    async ({ appEnv }, use) => {
      const app = await startApp(appEnv);
      await use(app);
      await app.stop();
    },
    { scope: "worker" },
  ],
  appUrl: async ({ app }, use) => {
    await use(app.url);
  },
  baseURL: async ({ app }, use) => {
    await use(app.url);
  },
});

export { expect } from "@playwright/test";
