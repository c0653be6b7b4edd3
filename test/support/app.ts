// Test helper: drive the real route handlers with real Request objects under a chosen environment.
import { resetChatModelForTests } from "@/lib/ai/model";
import { ENV_VARIABLES, resetConfigForTests } from "@/lib/config";
import { resetCreditsForTests } from "@/lib/credits";
import { issueUserToken } from "@/lib/identity/jwt";
import { resetStreamSlotsForTests } from "@/lib/ratelimit/concurrency";
import { resetChatLimiterForTests } from "@/lib/ratelimit/limiter";
import { resetRedisForTests } from "@/lib/redis";
import { resetStoreForTests } from "@/lib/store";

export const TEST_AUTH_SECRET = "route-test-secret-0123456789abcdef0123456789";

/** Every variable the app reads is cleared (so a developer's shell cannot leak into a test), then these set. */
const BASE_ENV: Record<string, string | undefined> = {
  ...Object.fromEntries(ENV_VARIABLES.map((name) => [name, undefined])),
  NODE_ENV: "test",
  AUTH_SECRET: TEST_AUTH_SECRET,
  OFFLINE_MODEL_DELAY_MS: "0",
  CHAT_DAILY_TOKEN_BUDGET: "0",
  CHAT_MAX_CONCURRENT_STREAMS: "0",
};

/** Applies BASE_ENV + overrides to process.env and drops every per-process cache of the app. */
export function configureApp(overrides: Record<string, string | undefined> = {}): void {
  for (const [key, value] of Object.entries({ ...BASE_ENV, ...overrides })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const reset of [
    resetConfigForTests,
    resetRedisForTests,
    resetStoreForTests,
    resetChatLimiterForTests,
    resetCreditsForTests,
    resetStreamSlotsForTests,
    resetChatModelForTests,
  ]) {
    reset();
  }
}

export interface Caller {
  ip?: string;
  /** Raw X-Forwarded-For (overrides ip). */
  forwardedFor?: string;
  bearer?: string;
  headers?: Record<string, string>;
}

export function requestFor(
  path: string,
  caller: Caller,
  init: { method?: string; body?: string; signal?: AbortSignal; contentType?: string } = {},
): Request {
  const headers = new Headers(caller.headers);
  headers.set("x-forwarded-for", caller.forwardedFor ?? caller.ip ?? "203.0.113.7");
  if (caller.bearer) headers.set("authorization", `Bearer ${caller.bearer}`);
  if (init.body !== undefined) headers.set("content-type", init.contentType ?? "application/json");
  return new Request(`http://localhost${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body,
    signal: init.signal,
  });
}

export { chatBody, newId } from "./chat-body";

export function userToken(id: string, name = id): Promise<string> {
  return issueUserToken({ id, name });
}

/** The concatenated text deltas of a UI message stream response. */
export async function streamedText(response: Response): Promise<string> {
  const raw = await response.text();
  let text = "";
  for (const line of raw.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const chunk = JSON.parse(line.slice(6)) as { type: string; delta?: string };
    if (chunk.type === "text-delta" && chunk.delta) text += chunk.delta;
  }
  return text;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
