// Client-side HTTP helpers for the app's JSON API (components talk to the server only over HTTP).
import type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  ErrorBody,
  Health,
  Limits,
  ModelInfo,
  ModelList,
  PlanLimitsInfo,
  SessionInfo,
  SessionUser,
  SignInProvider,
  Usage,
} from "@/lib/wire/types";

export { ID_PATTERN as CONVERSATION_ID_PATTERN } from "@/lib/wire/limits";
export { messageText } from "@/lib/wire/messages";
export type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  Health,
  Limits,
  ModelInfo,
  ModelList,
  PlanLimitsInfo,
  SessionInfo,
  SessionUser,
  SignInProvider,
  Usage,
};

/** A non-2xx answer from the API, with its parsed JSON body (or a synthesized one). */
export class ApiHttpError extends Error {
  readonly status: number;
  readonly body: ErrorBody | { error: "http_error"; message: string };
  /** Seconds from `retry_after_seconds` or the `Retry-After` header. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ApiHttpError["body"], retryAfterSeconds?: number) {
    super(body.message || `Request failed with status ${status}`);
    this.name = "ApiHttpError";
    this.status = status;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Reads a failed response into an ApiHttpError, tolerating non-JSON bodies (proxies, crashes). */
export async function toApiHttpError(response: Response): Promise<ApiHttpError> {
  let body: ApiHttpError["body"] = { error: "http_error", message: "" };
  const text = await response.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed) body = parsed as ErrorBody;
    else body.message = text.slice(0, 300);
  } catch {
    body.message = text.slice(0, 300);
  }
  if (typeof body.message !== "string" || !body.message) {
    body = { ...body, message: `The server answered ${response.status}.` };
  }
  const fromBody = Number((body as Record<string, unknown>).retry_after_seconds);
  const fromHeader = Number(response.headers.get("Retry-After"));
  const retryAfter =
    Number.isFinite(fromBody) && fromBody > 0 ? fromBody : fromHeader > 0 ? fromHeader : undefined;
  return new ApiHttpError(
    response.status,
    body,
    retryAfter === undefined ? undefined : Math.ceil(retryAfter),
  );
}

/** A JSON call of the app's API; a non-2xx answer throws its ApiHttpError. */
export async function request<T>(path: string, init?: RequestInit): Promise<T> {
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
  renameConversation: (id: string, title: string) =>
    request<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}`, {
      method: "PATCH",
      body: JSON.stringify({ title }),
    }),
  deleteConversation: (id: string) =>
    request<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" }),
  /** Stops the conversation's reply being written, on whichever instance writes it (every tab sees it end). */
  stopReply: (id: string) =>
    request<void>(`/api/conversations/${encodeURIComponent(id)}/stream`, { method: "DELETE" }),
  usage: () => request<Usage>("/api/usage"),
  /**
   * The caller's rate-limit layers (with `model`'s own; default: the plan's first), read without spending; with
   * `conversation`, also what a message there costs of the day's credits.
   */
  limits: (model?: string | null, conversation?: string | null) => {
    const query = new URLSearchParams();
    if (model) query.set("model", model);
    if (conversation) query.set("conversation", conversation);
    return request<Limits>(query.size > 0 ? `/api/limits?${query}` : "/api/limits");
  },
  /** Every chat model, whether this caller may use it, and its limits. */
  models: () => request<ModelList>("/api/models"),
  session: () => request<SessionInfo>("/api/session"),
  health: () => request<Health>("/api/health"),
  devSignIn: (name: string) =>
    request<{ user: Pick<SessionUser, "id" | "name"> }>("/api/auth/dev-signin", {
      method: "POST",
      body: JSON.stringify({ name }),
    }),
  /** Sends the browser to the provider's sign-in page; it comes back here signed in. */
  signIn: async (providerId: string) => {
    // Auth.js's client (loaded on demand, off the first-load bundle) fetches the CSRF token and redirects.
    const { signIn } = await import("next-auth/react");
    await signIn(providerId, { callbackUrl: window.location.href });
  },
  /** Ends both kinds of session a browser can hold: the Auth.js one and the dev sign-in cookie. */
  signOut: async () => {
    const { signOut } = await import("next-auth/react");
    await Promise.all([
      signOut({ redirect: false }),
      request<{ user: null }>("/api/auth/dev-signin", { method: "DELETE" }),
    ]);
  },
};

/** randomUUID only exists in secure contexts (https/localhost); fall back to getRandomValues elsewhere. */
export function newConversationId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
