// The Chromium the browser tests launch: CHROMIUM_PATH, else a system one, else Playwright's own download.
import { existsSync } from "node:fs";

/**
 * Browser downloads are impossible on some machines (CI here has no internet), so a system Chromium is
 * preferred when one is installed. `npm test` (scripts/toolchain.mjs) sets CHROMIUM_PATH to what it found or
 * installed. Undefined means Playwright's own browser (`npx playwright install chromium`).
 * Works with Playwright 1.65 (built for Chromium 159): Debian's chromium 156 is what CI runs.
 */
export const chromiumPath: string | undefined = [
  process.env.CHROMIUM_PATH,
  // Debian's headless shell (what Playwright itself runs headless) before the full browser: a quarter faster.
  "/usr/bin/chromium-headless-shell",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
].find((path): path is string => Boolean(path && existsSync(path)));

/** Flags for a headless Chromium in a container: as root it needs --no-sandbox; this network is closed. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
