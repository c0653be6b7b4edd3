// Chat transport: posts only the newest message and turns non-2xx answers into typed ApiHttpErrors; picks up a
// conversation's reply being written (GET /api/conversations/:id/stream) for a reloaded or second tab.
import { DefaultChatTransport, type UIMessageChunk } from "ai";
import { ApiHttpError, type ChatMessage, toApiHttpError } from "@/components/api";
import { num } from "@/lib/chat-client/body-fields";

export const CHAT_API = "/api/chat/message";

/** Whether the last request got a 2xx answer: after that the server has the user message (it persists on end). */
export type RequestProgress = { responded: boolean };

/** Every chat answer, admitted or refused, as it arrives (before its body): its status and headers. */
export type AnswerObserver = (answer: { ok: boolean; status: number; headers: Headers }) => void;

/** What the last look for a reply being written found: a stream to follow, nothing (204), or no answer. */
export type FollowOutcome = "stream" | "none" | "failed";

/** The reply stream of a conversation, asked for with what the tab already shows (lib/reply-stream/resume.ts). */
export function replyStreamUrl(conversationId: string, known: { last?: string; seen?: string }): string {
  const query = new URLSearchParams();
  if (known.last) query.set("last", known.last);
  if (known.seen) query.set("seen", known.seen);
  const search = query.size ? `?${query}` : "";
  return `/api/conversations/${encodeURIComponent(conversationId)}/stream${search}`;
}

/** Looking for a live reply is best effort: a failure (offline, 404, 5xx) means "nothing now, look again later". */
class LiveChatTransport extends DefaultChatTransport<ChatMessage> {
  lastFollow: FollowOutcome = "none";

  override async reconnectToStream(
    options: Parameters<DefaultChatTransport<ChatMessage>["reconnectToStream"]>[0],
  ): Promise<ReadableStream<UIMessageChunk> | null> {
    try {
      const stream = await super.reconnectToStream(options);
      this.lastFollow = stream ? "stream" : "none";
      return stream;
    } catch {
      this.lastFollow = "failed";
      return null;
    }
  }
}

/**
 * The default transport would throw an APICallError whose message is the raw body text; throwing our own
 * error from `fetch` instead keeps status + parsed JSON body, and it reaches `onError` unchanged.
 */
export function createChatTransport(
  onAnswer?: AnswerObserver,
  /** The model the conversation uses now (null: the server's default for this caller), read at each send. */
  model: () => string | null = () => null,
): {
  transport: LiveChatTransport;
  progress: RequestProgress;
} {
  const progress: RequestProgress = { responded: false };
  const chatFetch: typeof fetch = async (input, init) => {
    // Following a reply (GET) is not a message: no limits to observe, no send in progress.
    if (init?.method === "GET") return fetch(input, init);
    progress.responded = false;
    const response = await fetch(input, init);
    onAnswer?.({ ok: response.ok, status: response.status, headers: response.headers });
    if (!response.ok) throw await toApiHttpError(response);
    progress.responded = true;
    return response;
  };
  const transport = new LiveChatTransport({
    api: CHAT_API,
    fetch: chatFetch,
    // The server owns the history: send just the conversation id, the intent and the new user message.
    // Regenerate and edit name the turn they replace (`lastMessageId`: the transcript's last message before
    // them), so the server refuses them (409) if another tab added a turn meanwhile.
    prepareSendMessagesRequest: ({ id, messages, body, trigger }) => {
      const last_message_id = body?.lastMessageId;
      const chosen = model() ?? undefined;
      if (trigger === "regenerate-message")
        return { body: { id, intent: "regenerate", last_message_id, model: chosen } };
      const last = messages.at(-1);
      const message = last && { id: last.id, role: last.role, parts: last.parts };
      return {
        body:
          body?.intent === "edit"
            ? { id, intent: "edit", message, last_message_id, model: chosen }
            : { id, message, model: chosen },
      };
    },
    prepareReconnectToStreamRequest: ({ id, body }) => {
      const known = body as { last?: string; seen?: string };
      return { api: replyStreamUrl(id, known), credentials: "same-origin" };
    },
  });
  return { transport, progress };
}

export type FailureKind =
  | "rate_limited"
  | "payment_required"
  | "blocked"
  | "model_not_in_plan"
  | "rejected"
  | "retryable";

/**
 * 429 → countdown bubble (a full model's "busy" too), 402 → paywall, 403 blocked → blocked notice, 403
 * model_not_in_plan → its own notice, other 4xx → server message; for all 4xx the text goes back in the
 * composer. The rest → Retry.
 */
export function classifyChatError(error: unknown): FailureKind {
  if (error instanceof ApiHttpError) {
    if (error.status === 429) return "rate_limited";
    if (error.status === 402) return "payment_required";
    if (error.status === 403 && error.body.error === "blocked") return "blocked";
    if (error.status === 403 && error.body.error === "model_not_in_plan") return "model_not_in_plan";
    if (error.status >= 400 && error.status < 500 && error.status !== 408) return "rejected";
  }
  return "retryable";
}

/** A human sentence for failures that get the generic error bubble. */
export function describeChatError(error: unknown, hadPartialReply: boolean): string {
  if (error instanceof ApiHttpError) return error.body.message;
  if (hadPartialReply) return "The reply was cut off before it finished.";
  if (error instanceof TypeError) return "Couldn't reach the server. Check your connection and try again.";
  // Error chunks from the stream carry the server's (sanitized) text.
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong while getting a reply.";
}

export type Paywall = {
  used: number;
  budget: number;
  resetsAt: string;
  plan: string;
  paywallUrl: string | null;
  /** Where the refused message is now: back in the composer, or kept with the held messages. */
  kept: "composer" | "held";
  /** Tokens this conversation's history adds to each message here. */
  historyTokens: number;
  /** The history, not the day's use, refused it: the same message fits in a new chat. */
  newChatFits: boolean;
  /** The refused message's text ("" for a new answer), and its held id when it stayed held. */
  text: string;
  heldId: string | null;
};

/** The 402 body's details, defensively typed (missing fields become 0 / "" / null). */
export function paywallFromError(
  error: unknown,
  kept: Paywall["kept"],
  refused?: { id: string; text: string },
): Paywall {
  const body: Record<string, unknown> = error instanceof ApiHttpError ? error.body : {};
  return {
    used: num(body.used),
    budget: num(body.budget),
    resetsAt: typeof body.resets_at === "string" ? body.resets_at : "",
    plan: typeof body.plan === "string" ? body.plan : "",
    paywallUrl: typeof body.paywall_url === "string" && body.paywall_url ? body.paywall_url : null,
    kept,
    historyTokens: num(body.history_tokens),
    newChatFits: body.new_chat_fits === true,
    text: refused?.text ?? "",
    heldId: kept === "held" && refused ? refused.id : null,
  };
}

/**
 * An operator's (or the automatic) block: until when, in the server's words, and the operator's reason (null
 * for the automatic block, whose message already says why). Shown as text, never as markup.
 */
export type Blocked = { message: string; until: number | null; reason: string | null };

export function blockedFromError(error: unknown): Blocked {
  const body: Record<string, unknown> = error instanceof ApiHttpError ? error.body : {};
  const until = typeof body.until === "string" ? Date.parse(body.until) : Number.NaN;
  const message = typeof body.message === "string" ? body.message : "";
  const reason = typeof body.reason === "string" && body.reason.trim() ? body.reason.trim() : null;
  return {
    message,
    until: Number.isFinite(until) ? until : null,
    reason: reason === "automatic" ? null : reason,
  };
}
