// Playwright fixtures (a `next start` per worker with the spec's environment) and the chat page object.
import { type Browser, test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { type AppServer, startApp } from "./app-server";
import { chatBody, newId } from "./chat-body";
import { type RedisStack, startRedisStack } from "./redis";

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

export interface ChatRequestOptions {
  text?: string;
  conversationId?: string;
  /** A CHAT_MODELS key; absent: the plan's default model. */
  model?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** POST /api/chat/message as a client at `ip` (the X-Forwarded-For our one trusted proxy would write). */
export function postChat(
  app: AppServer | string,
  ip: string,
  options: ChatRequestOptions = {},
): Promise<Response> {
  const url = typeof app === "string" ? app : app.url;
  return fetch(`${url}/api/chat/message`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip, ...options.headers },
    body: chatBody(options.conversationId ?? newId(), options.text ?? "hello", { model: options.model }),
    signal: options.signal,
  });
}

/**
 * `count` `next start` instances sharing one real Redis (through the REST endpoint), for the describe block (or
 * file) it is called in; the test can stop, restart, pause and resume redis-server through `stack`. `env` may be
 * a function, read when the apps start: for values known only then, e.g. the URL of a fake model started by a
 * `beforeAll` registered before this call.
 */
export function withRedisBackedApps(
  count: number,
  env: Record<string, string> | (() => Record<string, string>) = {},
): { stack: RedisStack; apps: AppServer[] } {
  const handle = { apps: [] as AppServer[] } as { stack: RedisStack; apps: AppServer[] };
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    handle.stack = await startRedisStack();
    const shared = {
      UPSTASH_REDIS_REST_URL: handle.stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: handle.stack.restToken,
      OFFLINE_MODEL_DELAY_MS: "0",
      ...(typeof env === "function" ? env() : env),
    };
    handle.apps = await Promise.all(Array.from({ length: count }, () => startApp(shared)));
  });
  test.afterAll(async () => {
    await Promise.all(handle.apps.map((app) => app.stop()));
    await handle.stack?.stop();
  });
  return handle;
}

/** One `next start` on real Redis: withRedisBackedApps(1) with the instance as `app`. */
export function withRedisBackedApp(env: Parameters<typeof withRedisBackedApps>[1] = {}): {
  stack: RedisStack;
  app: AppServer;
} {
  const handle = withRedisBackedApps(1, env);
  return {
    get stack() {
      return handle.stack;
    },
    get app() {
      return handle.apps[0] as AppServer;
    },
  };
}

/** The sizes the UI is checked at: a laptop and a 375 px phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
} as const;

/** Waits for running CSS transitions (e.g. the phone menu sliding away after a resize) and one frame. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((animation) => animation.finished.catch(() => null)),
    );
  });
}

/**
 * Screenshots of the page as it is now, at desktop and phone size, in light and dark (the OS preference; the
 * theme switch is left on System), saved as `<name>-<viewport>-<scheme>.png` in the test's output folder. Ends
 * at desktop size, light. `prepare` runs after each resize (e.g. to scroll something into view); `only` limits
 * the sizes (for a phone-only state such as the open menu).
 */
export async function screenshotLooks(
  page: Page,
  testInfo: TestInfo,
  name: string,
  prepare?: (page: Page) => Promise<void>,
  only?: (keyof typeof VIEWPORTS)[],
): Promise<string[]> {
  const files: string[] = [];
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    if (only && !only.includes(viewport as keyof typeof VIEWPORTS)) continue;
    await page.setViewportSize(size);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await prepare?.(page);
      await settle(page);
      const path = testInfo.outputPath(`${name}-${viewport}-${colorScheme}.png`);
      await page.screenshot({ path });
      files.push(path);
    }
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.emulateMedia({ colorScheme: "light" });
  return files;
}

/** A browser context that reaches the app as one client address (our trusted proxy hop would set it). */
export async function openChat(
  browser: Browser,
  appUrl: string,
  ip: string,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<ChatPage> {
  const context = await browser.newContext({ ...options, extraHTTPHeaders: { "x-forwarded-for": ip } });
  const page = await context.newPage();
  await page.goto(appUrl);
  const chat = new ChatPage(page);
  await expect(chat.composer).toBeEditable();
  return chat;
}

/**
 * A clock time as `components/format.ts` writes it in the browser's en-US locale: "9:41 PM", or "Dec 6, 12:10 AM"
 * when it falls on another day — which a test run shortly before midnight meets (a fresh CI run did).
 */
export function clockTimePattern(withSeconds = false): string {
  return `(?:[A-Z][a-z]{2} \\d{1,2}, )?\\d{1,2}:\\d\\d${withSeconds ? ":\\d\\d" : ""}\\s[AP]M`;
}

/** The per-minute refusal as the bubble says it: the seed's sentence, the seconds ticking. */
export const PER_MINUTE_NOTICE = /^You're sending messages a bit fast — please wait ~(\d+)s$/;

/** What a person does in the chat: type, send, wait for the reply. One place for the test ids involved. */
export class ChatPage {
  constructor(readonly page: Page) {}

  /** The 429 bubble, its sentence (with the ticking digits), and what it says will happen. */
  get bubble() {
    return this.page.getByTestId("rate-limit-bubble");
  }
  get notice() {
    return this.page.getByTestId("rate-limit-notice");
  }
  get countdown() {
    return this.page.getByTestId("countdown");
  }
  get autoSendPlan() {
    return this.page.getByTestId("auto-send-plan");
  }
  /** Messages not sent yet, in the order they will go, and their texts. */
  get held() {
    return this.page.getByTestId("held-message");
  }
  get heldTexts() {
    return this.held.getByTestId("held-text");
  }
  get sendWhenReady() {
    return this.page.getByTestId("send-when-ready");
  }
  get sendNow() {
    return this.page.getByTestId("send-now");
  }
  /** The one polite live region the chat announces refusals in. */
  get announcer() {
    return this.page.getByTestId("chat-announcer");
  }
  /** "2 messages left this minute" under the composer. */
  get limitHint() {
    return this.page.getByTestId("limit-hint");
  }
  get paywall() {
    return this.page.getByTestId("paywall");
  }
  /** The inline error bubble (refusals other than 429/402, network failures). */
  get chatError() {
    return this.page.getByTestId("chat-error");
  }

  /** The model picker under the composer (its button shows the chosen model), its menu and their items. */
  get modelPicker() {
    return this.page.getByTestId("model-picker");
  }
  get modelMenu() {
    return this.page.getByTestId("model-menu");
  }
  modelOption(key: string) {
    return this.page.locator(`[data-testid="model-option"][data-model="${key}"]`);
  }
  /** The menu's way to a plan with the locked models ("Sign in to upgrade" / "Upgrade"). */
  get modelUnlock() {
    return this.page.getByTestId("model-unlock");
  }
  /** Chooses a model for this conversation with the pointer. */
  async chooseModel(key: string): Promise<void> {
    await this.modelPicker.click();
    await this.modelOption(key).click();
    await expect(this.modelMenu).toBeHidden();
  }

  /** The seconds the per-minute bubble says to wait. */
  async noticeSeconds(): Promise<number> {
    const text = ((await this.notice.textContent()) ?? "").trim();
    const match = PER_MINUTE_NOTICE.exec(text);
    if (!match) throw new Error(`unexpected notice text: ${text}`);
    return Number(match[1]);
  }

  /** Regenerates the last reply (its button on the last assistant message). */
  async regenerate(): Promise<void> {
    await this.lastReply.getByTestId("regenerate").click();
  }

  /** Edits the last user message in place and sends it. */
  async editLast(text: string): Promise<void> {
    await this.userMessages.last().getByTestId("edit-message").click();
    const field = this.page.getByTestId("edit-input");
    await field.fill(text);
    await field.press("Enter");
  }

  get composer() {
    return this.page.getByTestId("composer-input");
  }
  get userMessages() {
    return this.page.getByTestId("message-user");
  }
  get assistantMessages() {
    return this.page.getByTestId("message-assistant");
  }
  get lastReply() {
    return this.assistantMessages.last();
  }

  get suggestions() {
    return this.page.getByTestId("suggestion");
  }
  get conversationItems() {
    return this.page.getByTestId("conversation-item");
  }

  /** The conversation open in the page (?c=<id>), once it has been sent to. */
  conversationId(): string {
    const id = new URL(this.page.url()).searchParams.get("c");
    if (!id) throw new Error(`no conversation in ${this.page.url()}`);
    return id;
  }

  /** The open conversation as the server stores it (the page's own cookies, so its owner). */
  async storedMessages(): Promise<{ id: string; role: string; text: string }[]> {
    const url = new URL(`/api/conversations/${this.conversationId()}`, this.page.url());
    const response = await this.page.request.get(url.toString());
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      messages: { id: string; role: string; parts: { type: string; text?: string }[] }[];
    };
    return body.messages.map((m) => ({
      id: m.id,
      role: m.role,
      text: m.parts.map((p) => (p.type === "text" ? (p.text ?? "") : "")).join(""),
    }));
  }

  /** What the page's clipboard holds (the context needs the clipboard permissions). */
  clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /**
   * Starts recording, in the page, every length the last reply's text takes and whether Stop was offered at that
   * moment; the returned function reads the record. Streaming is then shown by what the page rendered, not by
   * two reads racing the reply's end (a loaded machine once finished a reply between them).
   */
  async recordReplyGrowth(): Promise<() => Promise<{ lengths: number[]; stopOffered: boolean }>> {
    await this.page.evaluate(() => {
      const record = { lengths: [] as number[], stopOffered: false };
      (window as unknown as { replyGrowth: typeof record }).replyGrowth = record;
      const read = () => {
        const replies = document.querySelectorAll('[data-testid="message-assistant"]');
        const length = replies[replies.length - 1]?.textContent?.length ?? 0;
        if (length > 0 && length !== record.lengths.at(-1)) record.lengths.push(length);
        if (document.querySelector('[data-testid="stop-button"]')) record.stopOffered ||= length > 0;
      };
      new MutationObserver(read).observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    return () =>
      this.page.evaluate(
        () => (window as unknown as { replyGrowth: { lengths: number[]; stopOffered: boolean } }).replyGrowth,
      );
  }

  /** Types `text` into the composer and presses Enter. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  /** Waits until the reply to the last message has finished streaming (Send is offered again). */
  async waitForReply(): Promise<void> {
    await expect(this.page.getByTestId("send-button")).toBeVisible({ timeout: 20_000 });
  }

  /** Sends `text`, sees it in the transcript, and waits for its reply to finish. */
  async sendAndWait(text: string): Promise<void> {
    await this.send(text);
    await expect(this.userMessages.filter({ hasText: text })).toHaveCount(1);
    await this.waitForReply();
  }
}
