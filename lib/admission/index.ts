// The admission step: whether a chat message may start a reply, decided in one store round trip before its first token.
import { runAfterResponse } from "../http/background";
import { ApiError } from "../http/errors";
import type { Caller } from "../identity/identify";
import { rateLimitHeaders } from "../ratelimit/headers";
import { checksFor, type LayerCheck } from "../ratelimit/layers";
import { withDeadline } from "../resilience/deadline";
import { reportStoreFailure, reportStoreSuccess, shouldTryStore } from "../resilience/store-health";
import { services } from "../services";
import type { ChatMessage } from "../store/types";
import { admissionKeys, RENEW_EVERY_MS } from "./budget";
import { DEFAULT_USER_PLAN, GUEST_PLAN } from "./plans";
import { rateLimitedError, refusalError } from "./refusals";
import type { AdmissionRequest, AdmissionResult, ConversationClaim, Settlement } from "./types";

/** A late answer to a timed-out store call is still awaited this long in the background before giving up. */
const LATE_ANSWER_MS = 30_000;

export interface AdmissionInput {
  caller: Caller;
  /** `user:<id>` or `guest:<session>`: who owns the conversation. */
  owner: string;
  conversationId: string;
  /** The new user message, validated. */
  message: ChatMessage;
}

export interface ReplyOutcome {
  /** Tokens the reply cost (reported usage, or an estimate when it was cut off). */
  tokens: number;
  /** What to append: the user message and the reply (if any text came). */
  messages: ChatMessage[];
  title?: string;
  /** The model was never reached: forget the message id so that a retried send is not called a duplicate. */
  failedBeforeStreaming?: boolean;
}

export interface Admitted {
  plan: string;
  /** RateLimit / RateLimit-Policy fields for the reply. */
  headers: Record<string, string>;
  claim: ConversationClaim;
  history: ChatMessage[];
  /** The reply's cap: CHAT_MAX_OUTPUT_TOKENS, or less when the day's credits leave less. */
  maxOutputTokens: number;
  /** "local" while the shared store is down: this instance's own limits, nothing saved. */
  mode: "store" | "local";
  /** Renews the reply's lease while it streams; call the returned function when it ends. */
  keepLeaseAlive(): () => void;
  /** Bills the reply and saves the exchange, in one round trip; waits at most RATE_LIMIT_TIMEOUT_MS. Never throws. */
  settle(outcome: ReplyOutcome): Promise<void>;
}

function checksOf(caller: Caller): LayerCheck[] {
  return checksFor(services().admission.layers, {
    limitKey: caller.limitKey,
    verified: caller.user !== null,
    clientIp: caller.clientIp,
  });
}

/**
 * Throws the 429 this instance gave the caller a moment ago, without any I/O and before the body is read:
 * a refused client that keeps sending (a flood, a retry loop) costs almost nothing.
 */
export function refuseFromCache(caller: Caller, now = Date.now()): void {
  const cached = services().admission.refusals.lookup(checksOf(caller), now);
  if (cached) throw rateLimitedError(cached.refusing, cached.layers, now);
}

/** Admits the message (the reply may start) or throws the refusal's ApiError (429/402/404/409/503). */
export async function admit(input: AdmissionInput): Promise<Admitted> {
  const { config, admission } = services();
  const { caller } = input;
  const now = Date.now();
  const request: AdmissionRequest = {
    now,
    limitKey: caller.limitKey,
    checks: checksOf(caller),
    plans: admission.plans,
    defaultPlan: caller.user ? DEFAULT_USER_PLAN : GUEST_PLAN,
    readsStoredPlan: caller.user !== null,
    owner: input.owner,
    conversationId: input.conversationId,
    messageId: input.message.id,
    messageBytes: Buffer.byteLength(JSON.stringify(input.message)),
    leaseId: crypto.randomUUID(),
    maxOutputTokens: config.credits.maxOutputTokens,
  };

  const { result, mode } = await decide(request);
  if (!result.admitted) {
    for (const refusal of result.refusals) {
      if (refusal.reason === "rate") admission.refusals.remember(refusal.state, result.layers, now);
    }
    throw refusalError(result.refusals, {
      layers: result.layers,
      plan: result.plan,
      paywallUrl: config.credits.paywallUrl ?? null,
      now,
    });
  }
  return admitted(request, result, mode);
}

/** The store's answer, or this instance's own when the store is slow or down (or a 503 in fail-closed mode). */
async function decide(
  request: AdmissionRequest,
): Promise<{ result: AdmissionResult; mode: Admitted["mode"] }> {
  const { config, admission, redis } = services();
  const { primary, fallback } = admission;
  if (!fallback) return { result: await primary.admit(request), mode: "store" };

  if (shouldTryStore(request.now)) {
    const attempt = primary.admit(request);
    try {
      const result = await withDeadline(attempt, config.rateLimit.timeoutMs);
      reportStoreSuccess();
      if (result.admitted) fallback.observe(result, request.limitKey, request.now);
      if (redis && admission.pendingUsage.size > 0) {
        runAfterResponse(admission.pendingUsage.flush(redis).catch(reportStoreFailure));
      }
      return { result, mode: "store" };
    } catch (error) {
      reportStoreFailure(error);
      // If the store admitted after all, give back what that took (its lease and reservation); the
      // windows keep the count, which is right: the message is being answered.
      attempt.then(
        (late) => {
          if (late.admitted) void primary.settle(abandoned(request, late), Date.now()).catch(() => {});
        },
        () => {},
      );
    }
  }
  if (config.rateLimit.failMode === "closed") {
    throw new ApiError(
      "unavailable",
      "Chat is briefly unavailable while our rate limiter recovers. Please try again in a few seconds.",
      {},
      { "Retry-After": "5" },
    );
  }
  return { result: fallback.admitNow(request), mode: "local" };
}

function admitted(
  request: AdmissionRequest,
  result: AdmissionResult & { admitted: true },
  mode: Admitted["mode"],
): Admitted {
  const { config, admission } = services();
  const backend = mode === "local" && admission.fallback ? admission.fallback : admission.primary;
  const timeoutMs = config.rateLimit.timeoutMs;
  const usageKey = admissionKeys.usage(request.limitKey, result.grant.day);
  return {
    plan: result.plan,
    headers: rateLimitHeaders(result.layers, request.now),
    claim: result.claim,
    history: result.history,
    maxOutputTokens: result.grant.maxOutputTokens,
    mode,
    keepLeaseAlive() {
      if (!result.grant.leased) return () => {};
      const timer = setInterval(() => {
        withDeadline(backend.renew(request.limitKey, request.leaseId, Date.now()), timeoutMs).catch(() => {});
      }, RENEW_EVERY_MS);
      timer.unref?.();
      return () => clearInterval(timer);
    },
    async settle(outcome) {
      const settlement: Settlement = {
        ...abandoned(request, result),
        tokens: outcome.tokens,
        messages: outcome.messages,
        title: outcome.title,
        forgetMessageId: outcome.failedBeforeStreaming ? request.messageId : undefined,
      };
      if (mode === "local" && admission.fallback) {
        admission.fallback.settleNow(settlement, Date.now());
        admission.pendingUsage.add(usageKey, outcome.tokens);
        return;
      }
      const attempt = backend.settle(settlement, Date.now());
      try {
        await withDeadline(attempt, timeoutMs);
        reportStoreSuccess();
      } catch (error) {
        reportStoreFailure(error);
        // The reply ends now; its bill is sent when the store answers (or waits in the pending queue).
        runAfterResponse(
          withDeadline(attempt, LATE_ANSWER_MS).catch((late: unknown) => {
            console.error("[chat] could not save the exchange; its usage is billed later", late);
            admission.pendingUsage.add(usageKey, outcome.tokens);
          }),
        );
      }
    },
  };
}

/** A settlement that only gives back what an admission took: its lease, its reservation, its message id. */
function abandoned(request: AdmissionRequest, result: AdmissionResult & { admitted: true }): Settlement {
  return {
    limitKey: request.limitKey,
    leaseId: request.leaseId,
    leased: result.grant.leased,
    day: result.grant.day,
    tokens: 0,
    owner: request.owner,
    conversationId: request.conversationId,
    claim: result.claim,
    messages: [],
    forgetMessageId: request.messageId,
  };
}
