// Builds the app once for every spec (each worker then runs `next start` with its own environment).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export default async function globalSetup(): Promise<void> {
  try {
    const browser = await chromium.launch({
      executablePath: ["/usr/bin/chromium", "/usr/bin/chromium-browser", process.env.CHROMIUM_PATH].find(
        (p): p is string => Boolean(p && existsSync(p)),
      ),
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    await browser.close();
  } catch (error) {
    throw new Error(
      "No Chromium for Playwright. Install one: Debian/Ubuntu `apt-get install -y chromium` (or set CHROMIUM_PATH), " +
        `or \`npx playwright install chromium\` where downloads work.\n${String(error)}`,
    );
  }
  if (process.env.E2E_SKIP_BUILD === "1" && existsSync(".next/BUILD_ID")) return;
  execFileSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
}
