// The theme switch: System / Light / Dark, remembered across reloads and applied before the first paint (no
// flash of the other theme), by keyboard, on a phone.
import type { Page } from "@playwright/test";
import { expect, settle, test, VIEWPORTS } from "../test/support/e2e";

type Frame = { scheme: string; theme: string | null; background: string };
const WHITE = "rgb(255, 255, 255)";
const DARK = "rgb(23, 24, 27)";

/**
 * From the start of every document the page loads: the root's color-scheme, data-theme and body background in
 * the first frame the browser renders, and every later change of data-theme to another value.
 */
async function recordFirstFrame(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __firstFrame?: Frame; __themeChanges: string[] };
    w.__themeChanges = [];
    requestAnimationFrame(() => {
      const root = document.documentElement;
      w.__firstFrame = {
        scheme: getComputedStyle(root).colorScheme,
        theme: root.getAttribute("data-theme"),
        background: getComputedStyle(document.body).backgroundColor,
      };
      new MutationObserver((records) => {
        for (const r of records) {
          const now = root.getAttribute("data-theme");
          if (r.oldValue !== now) w.__themeChanges.push(`${r.oldValue} -> ${now}`);
        }
      }).observe(root, { attributes: true, attributeFilter: ["data-theme"], attributeOldValue: true });
    });
  });
}

async function firstFrame(page: Page): Promise<Frame> {
  await page.waitForFunction(() => (window as unknown as { __firstFrame?: Frame }).__firstFrame);
  return page.evaluate(() => (window as unknown as { __firstFrame: Frame }).__firstFrame);
}

async function reloadAndCheck(page: Page, expected: Frame): Promise<void> {
  await page.reload();
  expect(await firstFrame(page)).toEqual(expected);
  await expect(page.getByTestId("composer-input")).toBeEditable(); // hydrated, chat code loaded
  expect(
    await page.evaluate(() => (window as unknown as { __themeChanges: string[] }).__themeChanges),
  ).toEqual([]);
}

const radio = (page: Page, name: "System" | "Light" | "Dark") => page.getByRole("radio", { name });
/** Clicks the visible option (the radio itself is visually hidden inside its label). */
const choose = (page: Page, name: "System" | "Light" | "Dark") =>
  page.locator("label.theme-option", { hasText: name }).click();
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const themeColors = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('meta[name="theme-color"]')].map((m) => m.getAttribute("content")),
  );

test("the choice is remembered and the first paint already has it, whatever the OS prefers", async ({
  page,
}, testInfo) => {
  await recordFirstFrame(page);
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  expect(await firstFrame(page)).toEqual({ scheme: "light dark", theme: null, background: WHITE });
  await expect(radio(page, "System")).toBeChecked();

  // Keyboard only: Tab to the group, arrow keys move the choice (a native radio group).
  await radio(page, "System").focus();
  await page.keyboard.press("ArrowRight");
  await expect(radio(page, "Light")).toBeChecked();
  await page.keyboard.press("ArrowRight");
  await expect(radio(page, "Dark")).toBeChecked();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await bodyBackground(page)).toBe(DARK);
  expect(await page.evaluate(() => localStorage.getItem("theme"))).toBe("dark");
  expect(await themeColors(page)).toEqual(["#17181b", "#17181b"]);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("theme-desktop-dark.png") });

  // Dark on a light OS: dark from the very first frame, and nothing switches it afterwards.
  await reloadAndCheck(page, { scheme: "dark", theme: "dark", background: DARK });
  await expect(radio(page, "Dark")).toBeChecked();

  // Light on a dark OS.
  await page.emulateMedia({ colorScheme: "dark" });
  await choose(page, "Light");
  await reloadAndCheck(page, { scheme: "light", theme: "light", background: WHITE });
  await expect(radio(page, "Light")).toBeChecked();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("theme-desktop-light.png") });

  // Back to System: forgotten, and the page follows the OS, live.
  await choose(page, "System");
  expect(await page.evaluate(() => localStorage.getItem("theme"))).toBeNull();
  await reloadAndCheck(page, { scheme: "light dark", theme: null, background: DARK });
  expect(await themeColors(page)).toEqual(["#ffffff", "#17181b"]);
  await page.emulateMedia({ colorScheme: "light" });
  await expect.poll(() => bodyBackground(page)).toBe(WHITE);
});

test("another tab follows a change; a phone reaches the switch in the menu", async ({
  page,
  context,
}, testInfo) => {
  await page.goto("/");
  const other = await context.newPage();
  await other.goto("/");
  await choose(page, "Dark");
  await expect(other.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(radio(other, "Dark")).toBeChecked();
  await other.close();

  await page.setViewportSize(VIEWPORTS.phone);
  await page.getByRole("button", { name: "Open conversations menu" }).click();
  await expect(radio(page, "Dark")).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("theme-phone-dark.png") });
  await choose(page, "Light");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath("theme-phone-light.png") });
});
