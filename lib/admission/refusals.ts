// Every reason a chat message is refused, in one precedence order, and the one answer each gets.
import { ApiError } from "../http/errors";
import { rateLimitHeaders, secondsUntil } from "../ratelimit/headers";
import type { LayerState } from "../ratelimit/layers";
import type { PaymentRequiredBody, RateLimitedBody } from "../wire/types";
import { creditsResetAt, LEASE_MS } from "./budget";
import type { Refusal } from "./types";

/**
 * When one message is refused for several reasons, the first of these answers:
 * 1. rate — a rate layer (429): waiting is the answer, whatever else holds;
 * 2. concurrency — too many replies in progress (429): also temporary, and in-flight reservations may free credits;
 * 3. not_found — someone else's conversation (404);
 * 4. duplicate — a message id already received, i.e. a retried send (409);
 * 5. credits — the daily budget can't pay for a reply (402): the paywall, only when nothing above applies.
 * The operator's blocks (403) and a store down in fail-closed mode (503) come before all of these; the
 * cross-site and malformed requests (403/415/400/413) never reach the admission step.
 * Every refusal leaves no trace in any layer (the backends check everything before taking anything).
 */
export const REFUSAL_PRECEDENCE: readonly Refusal["reason"][] = [
  "rate",
  "concurrency",
  "not_found",
  "duplicate",
  "credits",
];

export interface RefusalContext {
  layers: LayerState[];
  plan: string;
  paywallUrl: string | null;
  now: number;
}

export function refusalError(refusals: Refusal[], ctx: RefusalContext): ApiError {
  const [first] = [...refusals].sort(
    (a, b) => REFUSAL_PRECEDENCE.indexOf(a.reason) - REFUSAL_PRECEDENCE.indexOf(b.reason),
  );
  const headers = rateLimitHeaders(ctx.layers, ctx.now);
  switch (first?.reason) {
    case "rate": {
      // Every refusing layer must have freed before a retry can pass: answer with the one that frees last.
      const refusing = refusals
        .flatMap((r) => (r.reason === "rate" ? [r.state] : []))
        .reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
      return rateLimitedError(refusing, ctx.layers, ctx.now);
    }
    case "concurrency":
      return tooManyRepliesError(first.limit, first.freesAt, headers, ctx.now);
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
      };
      const message =
        first.used + first.reserved >= first.budget
          ? `You've used today's ${first.budget.toLocaleString("en-US")} tokens of chat credits.`
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
    name === "min"
      ? `You're sending messages a bit fast — please wait ~${retry}s.`
      : name === "hour"
        ? `You've reached the hourly limit of ${refusing.limit} messages — please wait ${wait}.`
        : `Too many messages from your network right now — please wait ${wait}.`;
  const body: Omit<RateLimitedBody, "error" | "message"> = {
    retry_after_seconds: retry,
    scope: refusing.layer.scope,
    layer: name,
    limit: refusing.limit,
    window_seconds: refusing.layer.windowSeconds,
    resets_at: new Date(now + retry * 1000).toISOString(),
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
