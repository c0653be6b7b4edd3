// Client-side HTTP helpers and types for the app's JSON API (components talk to the server only over HTTP).
import type { UIMessage } from "ai";

export type ChatMetadata = { incomplete?: boolean };
export type ChatMessage = UIMessage<ChatMetadata>;

export type ConversationSummary = { id: string; title: string; updatedAt: number };
export type Conversation = ConversationSummary & { messages: ChatMessage[] };
export type Usage = { used: number; remaining: number; budget: number; resets_at: string };
export type SessionUser = { id: string; name: string };
export type SessionInfo = { user: SessionUser | null; devSignin: boolean };
export type Health = { status: "ok" | "degraded"; store: string; model: string; provider?: string };

/** The JSON error body every route answers with: `{ error, message, ...details }`. */
export type ApiErrorBody = { error: string; message: string } & Record<string, unknown>;

/** A non-2xx answer from the API, with its parsed JSON body (or a synthesized one). */
export class ApiHttpError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** Seconds from `retry_after_seconds` or the `Retry-After` header (429 only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ApiErrorBody, retryAfterSeconds?: number) {
    super(body.message || `Request failed with status ${status}`);
    this.name = "ApiHttpError";
    this.status = status;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** Reads a failed response into an ApiHttpError, tolerating non-JSON bodies (proxies, crashes). */
export async function toApiHttpError(response: Response): Promise<ApiHttpError> {
  let body: ApiErrorBody = { error: "http_error", message: "" };
  const text = await response.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed) body = parsed as ApiErrorBody;
    else body.message = text.slice(0, 300);
  } catch {
    body.message = text.slice(0, 300);
  }
  if (typeof body.message !== "string" || !body.message) {
    body = { ...body, message: `The server answered ${response.status}.` };
  }
  const fromBody = Number(body.retry_after_seconds);
  const fromHeader = Number(response.headers.get("Retry-After"));
  const retryAfter =
    Number.isFinite(fromBody) && fromBody > 0 ? fromBody : fromHeader > 0 ? fromHeader : undefined;
  return new ApiHttpError(
    response.status,
    body,
    retryAfter === undefined ? undefined : Math.ceil(retryAfter),
  );
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: "same-origin",
    headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}) },
    cache: "no-store",
  });
  if (!response.ok) throw await toApiHttpError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  listConversations: () => request<{ conversations: ConversationSummary[] }>("/api/conversations"),
  getConversation: (id: string) => request<Conversation>(`/api/conversations/${encodeURIComponent(id)}`),
  deleteConversation: (id: string) =>
    request<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" }),
  usage: () => request<Usage>("/api/usage"),
  session: () => request<SessionInfo>("/api/session"),
  health: () => request<Health>("/api/health"),
  signIn: (name: string) =>
    request<{ user: SessionUser }>("/api/auth/dev-signin", {
      method: "POST",
      body: JSON.stringify({ name }),
    }),
  signOut: () => request<{ user: null }>("/api/auth/dev-signin", { method: "DELETE" }),
};

/** Plain text of a message's text parts (what the user typed). */
export function messageText(message: ChatMessage): string {
  return message.parts
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("");
}

/** randomUUID only exists in secure contexts (https/localhost); fall back to getRandomValues elsewhere. */
export function newConversationId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
