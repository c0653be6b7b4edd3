// Daily credits in a real browser: once the budget is used up the paywall opens (402), never the 429 bubble.
import { expect, test } from "../test/support/e2e";

test.use({
  appEnv: {
    // Enough for one exchange; the second message's prompt (with that history) no longer fits.
    CHAT_DAILY_TOKEN_BUDGET: "400",
    OFFLINE_MODEL_DELAY_MS: "5",
    PAYWALL_URL: "https://billing.example/upgrade",
  },
});

test("exhausting a tiny budget opens the paywall with usage, reset time and upgrade link", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await expect(page.getByTestId("usage-meter")).toBeVisible();
  const composer = page.getByTestId("composer-input");
  await composer.fill("use up my credits please");
  await composer.press("Enter");
  await expect(page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });

  await composer.fill("one more question");
  await composer.press("Enter");
  const dialog = page.getByTestId("paywall");
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("role", "dialog");
  await expect(page.getByTestId("paywall-budget")).toHaveText("400");
  // The truth, never more than the budget: what the first exchange cost.
  const used = Number(((await page.getByTestId("paywall-used").textContent()) ?? "").replace(/\D/g, ""));
  expect(used).toBeGreaterThan(0);
  expect(used).toBeLessThanOrEqual(400);
  await expect(page.getByTestId("paywall-resets")).toHaveAttribute("datetime", /T00:00:00\.000Z$/);
  await expect(page.getByTestId("paywall-upgrade")).toHaveAttribute(
    "href",
    "https://billing.example/upgrade",
  );
  await expect(page.getByTestId("rate-limit-bubble")).toHaveCount(0);
  await dialog.screenshot({ path: testInfo.outputPath("paywall.png") });
  await testInfo.attach("paywall", { path: testInfo.outputPath("paywall.png"), contentType: "image/png" });

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Nothing the user typed is lost, and the refused message is not left in the conversation.
  await expect(composer).toHaveValue("one more question");
  await expect(page.getByTestId("message-user")).toHaveCount(1);
});
