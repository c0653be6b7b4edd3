// Test helper: drive the real route handlers with real Request objects under a chosen environment.
import { POST as chatPost } from "@/app/api/chat/message/route";
import { GET as conversationGet } from "@/app/api/conversations/[id]/route";
import { ENV_VARIABLES, getConfig } from "@/lib/config";
import { GUEST_COOKIE, mintGuestSession } from "@/lib/identity/guest";
import { userKey } from "@/lib/identity/identify";
import { issueUserToken, jwtUserId } from "@/lib/identity/jwt";
import { resetProcessStateForTests } from "@/lib/process-state";
import { type ChatBodyOptions, chatBody, newId } from "./chat-body";

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

/** Applies BASE_ENV + overrides to process.env and drops the process-wide state (config, services, health). */
export function configureApp(overrides: Record<string, string | undefined> = {}): void {
  for (const [key, value] of Object.entries({ ...BASE_ENV, ...overrides })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetProcessStateForTests();
}

export interface Caller {
  ip?: string;
  /** Raw X-Forwarded-For (overrides ip). */
  forwardedFor?: string;
  bearer?: string;
  /** A chat_guest cookie value (a browser's guest session). */
  guest?: string;
  headers?: Record<string, string>;
}

/** A caller with a fresh guest session, as a browser has after its first page load. */
export async function guestCaller(ip = "203.0.113.7"): Promise<Caller> {
  return { ip, guest: (await mintGuestSession()).cookieValue };
}

/** The chat_guest cookie a response sets, if any. */
export function guestCookieSet(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${GUEST_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(GUEST_COOKIE.length + 1).split(";")[0] ?? "") : undefined;
}

export function requestFor(
  path: string,
  caller: Caller,
  init: { method?: string; body?: string; signal?: AbortSignal; contentType?: string } = {},
): Request {
  const headers = new Headers(caller.headers);
  headers.set("x-forwarded-for", caller.forwardedFor ?? caller.ip ?? "203.0.113.7");
  if (caller.bearer) headers.set("authorization", `Bearer ${caller.bearer}`);
  if (caller.guest) headers.append("cookie", `${GUEST_COOKIE}=${caller.guest}`);
  if (init.body !== undefined) headers.set("content-type", init.contentType ?? "application/json");
  return new Request(`http://localhost${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body,
    signal: init.signal,
  });
}

export { chatBody, newId };

/** The second argument of a `/api/conversations/[id]` handler: the route's params, as Next passes them. */
export const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

/** An HS256 user token for `subject`; the user's id is derived from it (lib/identity/user-id). */
export function userToken(subject: string, name = subject): Promise<string> {
  return issueUserToken(subject, name);
}

/** The limit key (`user:<user.id>`) of the user a `userToken(subject)` signs in. */
export function userKeyOf(subject: string): string {
  return userKey(jwtUserId("hs256", getConfig().auth.issuer, subject));
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

/** POSTs one chat message (into a fresh conversation unless one is given); the answer is left unread. */
export function postChat(
  caller: Caller,
  conversationId = newId(),
  text?: string,
  options?: ChatBodyOptions,
): Promise<Response> {
  return chatPost(requestFor("/api/chat/message", caller, { body: chatBody(conversationId, text, options) }));
}

/** A chat message's answer, read to its end. */
export interface ChatAnswer {
  response: Response;
  status: number;
  /** The reply's streamed text (a 2xx answer), else undefined. */
  text: string | undefined;
  /** The refusal's JSON (any other answer), else null. */
  body: Record<string, unknown> | null;
}

/** Sends one chat message (`postChat`) and reads the answer to its end: the reply's text or the refusal's JSON. */
export async function sendChat(
  caller: Caller,
  conversationId?: string,
  text?: string,
  options?: ChatBodyOptions,
): Promise<ChatAnswer> {
  const response = await postChat(caller, conversationId, text, options);
  if (response.ok)
    return { response, status: response.status, text: await streamedText(response), body: null };
  return {
    response,
    status: response.status,
    text: undefined,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** GET /api/conversations/:id as `caller`: the status and the JSON. */
export async function getConversation(caller: Caller, id: string) {
  const response = await conversationGet(requestFor(`/api/conversations/${id}`, caller), idParams(id));
  return { status: response.status, body: await response.json() };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 20 ms until it returns a value (not undefined); throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}

/** Waits until conversation `id` holds its first exchange (2 messages) and its generated title; its JSON. */
export function waitForFirstExchange(caller: Caller, id: string) {
  return waitFor(async () => {
    const { body } = await getConversation(caller, id);
    return body.messages?.length === 2 && body.title !== "New chat" ? body : undefined;
  });
}
