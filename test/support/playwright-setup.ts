// Builds the app once for every spec (each worker then runs `next start` with its own environment).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./chromium";

export default async function globalSetup(): Promise<void> {
  try {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    console.log(`e2e: ${chromiumPath ?? "Playwright's Chromium"} ${browser.version()}`);
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
