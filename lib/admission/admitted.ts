// An admitted message's handle: its headers and history, its lease kept alive, and its one settle write.
import { runAfterResponse } from "../http/background";
import type { ApiError } from "../http/errors";
import { rateLimitHeaders } from "../ratelimit/headers";
import { type Layer, type LayerState, logEntry } from "../ratelimit/layers";
import { withDeadline } from "../resilience/deadline";
import { reportStoreFailure, reportStoreSuccess, storeErrorSummary } from "../resilience/store-health";
import { services } from "../services";
import type { ChatMessage } from "../store/types";
import { admissionKeys, RENEW_EVERY_MS } from "./budget";
import { rateLimitedError } from "./refusals";
import type { AdmissionRequest, AdmissionResult, ConversationClaim, Settlement } from "./types";

/** A late answer to a timed-out store call is still awaited this long in the background before giving up. */
const LATE_ANSWER_MS = 30_000;

export interface ReplyOutcome {
  /** Tokens the reply cost (reported usage, or an estimate when it was cut off). */
  tokens: number;
  /** What to append: the user message and the reply (if any text came). */
  messages: ChatMessage[];
  title?: string;
  /** The model was never reached: forget the message id so that a retried send is not called a duplicate. */
  failedBeforeStreaming?: boolean;
  /** Regenerate and edit: the stored turn these messages replace (see lib/chat/turn.ts). */
  replace?: Settlement["replace"];
}

export interface Admitted {
  plan: string;
  /** The model that answers (a key of the model table). */
  model: string;
  /** RateLimit / RateLimit-Policy fields for the reply. */
  headers: Record<string, string>;
  claim: ConversationClaim;
  history: ChatMessage[];
  /** How many messages the conversation holds (history is its tail). */
  length: number;
  /** The reply's cap: CHAT_MAX_OUTPUT_TOKENS, or less when the day's credits leave less. */
  maxOutputTokens: number;
  /** "local" while the shared store is down: this instance's own limits, nothing saved. */
  mode: "store" | "local";
  /** Renews the reply's lease while it streams; call the returned function when it ends. */
  keepLeaseAlive(): () => void;
  /** Bills the reply and saves the exchange, in one round trip; waits at most RATE_LIMIT_TIMEOUT_MS. Never throws. */
  settle(outcome: ReplyOutcome): Promise<void>;
  /**
   * The provider answered 429 / overloaded before the first token: gives back everything the admission took
   * (the message leaves every log; lease, reservation and message id are released) and holds the model's
   * breaker until `until` for every instance — one settle round trip. Returns the "busy" 429 to answer.
   */
  providerBusy(until: number): Promise<ApiError>;
}

export function admitted(
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
    model: result.model,
    headers: rateLimitHeaders(result.layers, request.now),
    claim: result.claim,
    history: result.history,
    length: result.length,
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
      await send({
        ...abandoned(request, result),
        // Credits count the model's tokenCost; its tokensPerMinute the tokens themselves.
        tokens: Math.ceil(outcome.tokens * result.grant.cost),
        modelTokens: outcome.tokens,
        messages: outcome.messages,
        title: outcome.title,
        forgetMessageId: outcome.failedBeforeStreaming ? request.messageId || undefined : undefined,
        replace: outcome.replace,
      });
    },
    async providerBusy(until) {
      const now = Date.now();
      const check = request.checks.find((c) => c.layer.breaker && c.model === result.model);
      await send({
        ...abandoned(request, result),
        tokenLogs: [],
        uncount: result.layers,
        breaker: check && { check, until },
      });
      const busy: LayerState = {
        ...(check ?? { layer: BUSY_LAYER, identifier: `model:${result.model}`, model: result.model }),
        limit: 0,
        remaining: 0,
        resetAt: until,
      };
      return rateLimitedError(busy, [...result.layers, busy], now);
    },
  };

  async function send(settlement: Settlement): Promise<void> {
    if (mode === "local" && admission.fallback) {
      admission.fallback.settleNow(settlement, Date.now());
      admission.pendingUsage.add(usageKey, settlement.tokens);
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
          console.error(
            `[chat] could not save the exchange; its usage is billed later (${storeErrorSummary(late)})`,
          );
          admission.pendingUsage.add(usageKey, settlement.tokens);
        }),
      );
    }
  }
}

/** The breaker's layer, for a model whose checks hold none (not expected: every model row has one). */
const BUSY_LAYER: Layer = { name: "model-busy", scope: "model", windowSeconds: 0, breaker: true };

/** A settlement that only gives back what an admission took: its lease, its reservation, its message id. */
export function abandoned(
  request: AdmissionRequest,
  result: AdmissionResult & { admitted: true },
): Settlement {
  return {
    limitKey: request.limitKey,
    leaseId: request.leaseId,
    entry: logEntry(request.messageId, request.leaseId),
    tokenLogs: result.layers.filter((state) => state.layer.tokens),
    leased: result.grant.leased,
    day: result.grant.day,
    tokens: 0,
    owner: request.owner,
    conversationId: request.conversationId,
    claim: result.claim,
    messages: [],
    forgetMessageId: request.messageId || undefined,
  };
}
