// Every reason a chat message is refused, in one precedence order, and the one answer each gets.
import { ApiError } from "../http/errors";
import { rateLimitHeaders, secondsUntil } from "../ratelimit/headers";
import type { LayerState } from "../ratelimit/layers";
import type { PaymentRequiredBody, RateLimitedBody } from "../wire/types";
import { creditsResetAt, LEASE_MS } from "./budget";
import { AUTOMATIC_BLOCK_REASON, type Refusal } from "./types";

/**
 * When one message is refused for several reasons, the first of these answers:
 * 1. blocked — an operator's (or the automatic) block of the user or the address (403);
 *    model_not_in_plan — a model the caller's plan may not use (403): no wait makes it pass;
 * 2. rate — a rate layer (429): waiting is the answer, whatever else holds (a full model: "busy");
 * 3. concurrency — too many replies in progress (429): also temporary, and in-flight reservations may free credits;
 * 4. not_found — someone else's conversation, or one to regenerate/edit that doesn't exist (404);
 * 5. duplicate — a message id already received, i.e. a retried send (409);
 * 6. nothing_to_replace — regenerate/edit in a conversation without a message yet (409);
 * 7. stale — regenerate/edit naming a last message the conversation no longer ends with (409: another tab
 *    sent meanwhile; the client reloads the conversation rather than replace a turn it never saw);
 * 8. credits — the daily budget can't pay for a reply (402): the paywall, only when nothing above applies.
 * A store down in fail-closed mode (503) comes before all of these; cross-site and malformed requests
 * (403/415/400/413) never reach the admission step. Every refusal leaves no trace in any layer (the backends
 * check everything before taking anything). The Redis script counts stats in the same order.
 */
export const REFUSAL_PRECEDENCE: readonly Refusal["reason"][] = [
  "blocked",
  "model_not_in_plan",
  "rate",
  "concurrency",
  "not_found",
  "duplicate",
  "nothing_to_replace",
  "stale",
  "credits",
];

/** The scope the operator's stats count a refusal under (the one that answers it), or null (404/409). */
export function refusedScope(
  refusals: Refusal[],
): "blocked" | "user" | "ip" | "model" | "concurrency" | "credits" | null {
  const first = primary(refusals);
  if (!first) return null;
  if (first.reason === "rate") return latestRate(refusals).layer.scope;
  if (first.reason === "blocked" || first.reason === "concurrency" || first.reason === "credits")
    return first.reason;
  return null;
}

function primary(refusals: Refusal[]): Refusal | undefined {
  return [...refusals].sort(
    (a, b) => REFUSAL_PRECEDENCE.indexOf(a.reason) - REFUSAL_PRECEDENCE.indexOf(b.reason),
  )[0];
}

/** Every refusing layer must have freed before a retry can pass: the one that frees last. */
function latestRate(refusals: Refusal[]): LayerState {
  return refusals
    .flatMap((r) => (r.reason === "rate" ? [r.state] : []))
    .reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
}

export interface RefusalContext {
  layers: LayerState[];
  plan: string;
  paywallUrl: string | null;
  now: number;
}

export function refusalError(refusals: Refusal[], ctx: RefusalContext): ApiError {
  const first = primary(refusals);
  const headers = rateLimitHeaders(ctx.layers, ctx.now);
  switch (first?.reason) {
    case "blocked":
      return new ApiError(
        "blocked",
        first.note === AUTOMATIC_BLOCK_REASON
          ? "Sending is paused for this account or network after too many refused messages."
          : "Sending is blocked for this account or network by the operator.",
        { until: new Date(first.until).toISOString(), reason: first.note },
        headers,
      );
    case "model_not_in_plan":
      return new ApiError(
        "model_not_in_plan",
        `This model is not part of the ${ctx.plan} plan${first.plans.length ? ` — it comes with ${first.plans.join(", ")}` : ""}.`,
        { model: first.model, plans: first.plans, plan: ctx.plan },
        headers,
      );
    case "rate":
      return rateLimitedError(latestRate(refusals), ctx.layers, ctx.now);
    case "concurrency":
      return tooManyRepliesError(first.limit, first.freesAt, headers, ctx.now);
    case "nothing_to_replace":
      return new ApiError(
        "conflict",
        "There is no message to regenerate or edit in this conversation yet.",
        {},
        headers,
      );
    case "stale":
      return new ApiError(
        "conflict",
        "This conversation has changed since this page loaded it (a message was sent from another tab or " +
          "device), so nothing was replaced. It has been reloaded.",
        { reason: "conversation_changed" },
        headers,
      );
    case "duplicate":
      return new ApiError(
        "conflict",
        "This message was already received; reload the conversation to see its reply.",
        {},
        headers,
      );
    case "credits": {
      const body: Omit<PaymentRequiredBody, "error" | "message"> = {
        used: Math.min(first.used, first.budget),
        budget: first.budget,
        resets_at: new Date(creditsResetAt(ctx.now)).toISOString(),
        plan: ctx.plan,
        paywall_url: ctx.paywallUrl,
        history_tokens: first.historyTokens,
        new_chat_fits: first.newChatFits,
      };
      const message =
        first.used + first.reserved >= first.budget
          ? `You've used today's ${first.budget.toLocaleString("en-US")} tokens of chat credits.`
          : first.newChatFits
            ? "This conversation's history makes a reply here cost more than what is left of today's chat " +
              "credits; the same message in a new chat costs less and fits."
            : "What is left of today's chat credits is too little for a reply.";
      return new ApiError("payment_required", `${message} They reset at ${body.resets_at}.`, body, headers);
    }
    default:
      return new ApiError("not_found", "No conversation with this id.", {}, headers);
  }
}

/** A 429 for a rate layer: the person's words for it, the numbers for the UI, Retry-After equal to the body's. */
export function rateLimitedError(refusing: LayerState, layers: LayerState[], now: number): ApiError {
  const retry = secondsUntil(refusing.resetAt, now);
  const wait = humanWait(retry);
  const { name } = refusing.layer;
  const message =
    refusing.layer.scope === "model"
      ? `The assistant is busy right now — please wait ${wait}.`
      : name === "min" || name === "model-min"
        ? `You're sending messages a bit fast — please wait ~${retry}s.`
        : name === "hour"
          ? `You've reached the hourly limit of ${refusing.limit} messages — please wait ${wait}.`
          : name === "model-hour"
            ? `You've reached this model's hourly limit of ${refusing.limit} messages — please wait ${wait}.`
            : `Too many messages from your network right now — please wait ${wait}.`;
  const body: Omit<RateLimitedBody, "error" | "message"> = {
    retry_after_seconds: retry,
    scope: refusing.layer.scope,
    layer: name,
    limit: refusing.limit,
    window_seconds: refusing.layer.windowSeconds,
    // The exact moment the oldest counted message leaves the window (Retry-After is it rounded up).
    resets_at: new Date(refusing.resetAt).toISOString(),
  };
  return new ApiError("rate_limited", message, body, {
    ...rateLimitHeaders(layers, now, refusing),
    "Retry-After": String(retry),
  });
}

function tooManyRepliesError(
  limit: number,
  freesAt: number,
  headers: Record<string, string>,
  now: number,
): ApiError {
  const retry = secondsUntil(freesAt, now);
  const body: Omit<RateLimitedBody, "error" | "message"> = {
    retry_after_seconds: retry,
    scope: "concurrency",
    limit,
    // The lease: how long a reply in progress holds its slot without renewing it.
    window_seconds: LEASE_MS / 1000,
    resets_at: new Date(now + retry * 1000).toISOString(),
  };
  const replies = limit === 1 ? "a reply" : `${limit} replies`;
  return new ApiError(
    "rate_limited",
    `Please wait for a reply to finish — you can have ${replies} in progress at once.`,
    body,
    { ...headers, "Retry-After": String(retry) },
  );
}

/** "~45s", "~23 min", "~2 h": how long, in the unit a person would use. */
export function humanWait(seconds: number): string {
  if (seconds < 90) return `~${seconds}s`;
  if (seconds < 90 * 60) return `~${Math.ceil(seconds / 60)} min`;
  return `~${Math.round(seconds / 360) / 10} h`;
}
