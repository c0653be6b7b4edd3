// Problem 8 of issue 13: in `next dev`, Next's dev tools button covered the Guest avatar and, on phones, the
// composer's left edge. It sits top right now (next.config.ts), where the top bar keeps room for it.
import type { Locator, Page } from "@playwright/test";
import { type AppServer, startApp } from "../test/support/app-server";
import { expect, test, VIEWPORTS } from "../test/support/e2e";

let dev: AppServer;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  // Credits on, so the top bar shows its meter too.
  dev = await startApp({ CHAT_DAILY_TOKEN_BUDGET: "100000" }, { mode: "dev", readyWithinMs: 180_000 });
});
test.afterAll(async () => {
  await dev?.stop();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box`);
  return box;
}

/** Next's dev tools button, the Next logo (inside its shadow root, which Playwright's CSS engine pierces). */
const devButton = (page: Page) => page.locator("[data-nextjs-dev-tools-button][data-next-mark]");
/** The transient "Compiling"/"Rendering" pill Next shows beside the logo; the widget is measured once it is gone. */
const devStatus = (page: Page) => page.locator("[data-indicator-status]");

test("the dev tools button covers neither the avatar, the composer, the menu nor the top bar's meter", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const page = await browser.newPage({ viewport, hasTouch: name === "phone", isMobile: name === "phone" });
    await page.goto(dev.url);
    await expect(page.getByTestId("composer-input")).toBeEditable({ timeout: 120_000 });
    const covered: Locator[] = [
      page.locator(".composer-box"),
      page.getByTestId("send-button"),
      page.locator(".topbar-meta"),
      page.locator(".topbar-title"),
    ];
    await expect(page.getByTestId("usage-meter")).toBeVisible();
    // The Guest avatar and name (the account panel's row).
    if (name === "desktop") covered.push(page.locator(".account-who"));
    else covered.push(page.getByRole("button", { name: "Open conversations menu" }));
    // `next dev` compiles routes on first use (the page's own API calls too), and while it does the logo gives way
    // to a "Compiling" pill for a moment: the resting button is measured once no pill shows.
    await expect(async () => {
      await expect(devStatus(page)).toHaveCount(0);
      const button = await boxOf(devButton(page));
      for (const target of covered)
        expect(overlaps(button, await boxOf(target)), `${name}: ${target}`).toBe(false);
    }).toPass({ timeout: 90_000 });
    await page.close();
  }
});
