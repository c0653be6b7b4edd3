// The admission step: whether a chat message may start a reply, decided in one store round trip before its first token.
import { runAfterResponse } from "../http/background";
import { ApiError } from "../http/errors";
import type { Caller } from "../identity/identify";
import { withDeadline } from "../resilience/deadline";
import { reportStoreFailure, reportStoreSuccess, shouldTryStore } from "../resilience/store-health";
import { services } from "../services";
import type { ChatMessage } from "../store/types";
import { type Admitted, abandoned, admitted } from "./admitted";
import { callerQuery, checksOf } from "./limits";
import { rateLimitedError, refusalError, refusedScope } from "./refusals";
import type { AdmissionRequest, AdmissionResult, ChatIntent } from "./types";

export type { Admitted, ReplyOutcome } from "./admitted";

export interface AdmissionInput {
  caller: Caller;
  /** `user:<id>` or `guest:<session>`: who owns the conversation. */
  owner: string;
  conversationId: string;
  intent: ChatIntent;
  /** The new user message, validated (none for regenerate). */
  message?: ChatMessage;
  /** The model asked for (a known key), or null for the plan's default. */
  model: string | null;
  /** Regenerate and edit: the conversation's last message as the client saw it (see AdmissionRequest). */
  lastMessageId?: string;
}

/**
 * Throws the 429 this instance gave the caller a moment ago, without any I/O and before the body is read:
 * a refused client that keeps sending (a flood, a retry loop) costs almost nothing.
 */
export function refuseFromCache(caller: Caller, now = Date.now()): void {
  const { admission } = services();
  // Only the caller's own and its address's layers: which model answers is not known before the body.
  const checks = checksOf(caller).filter((check) => check.model === undefined);
  const cached = admission.refusals.lookup(checks, now);
  const scope = cached?.refusing.layer.scope;
  if (!cached || (scope !== "user" && scope !== "ip")) return;
  admission.cachedRefusals.record(scope, caller.limitKey, now);
  throw rateLimitedError(cached.refusing, cached.layers, now);
}

/** Admits the message (the reply may start) or throws the refusal's ApiError (429/402/404/409/503). */
export async function admit(input: AdmissionInput): Promise<Admitted> {
  const { config, admission } = services();
  const { caller } = input;
  const now = Date.now();
  const request: AdmissionRequest = {
    ...callerQuery(caller, now, input.model),
    owner: input.owner,
    conversationId: input.conversationId,
    intent: input.intent,
    messageId: input.message?.id ?? "",
    expectLastMessageId: input.intent === "send" ? undefined : input.lastMessageId,
    messageBytes: input.message ? Buffer.byteLength(JSON.stringify(input.message)) : 0,
    blockTargets: [...new Set([caller.limitKey, `ip:${caller.clientIp}`])],
    abuse: config.abuse,
    leaseId: crypto.randomUUID(),
    maxOutputTokens: config.credits.maxOutputTokens,
  };

  const { result, mode } = await decide(request);
  if (!result.admitted) {
    // Only a refusal that answers with a rate layer is cached: a blocked caller whose window is also full
    // must keep getting its 403 (and be counted as blocked), never a cached 429.
    const scope = refusedScope(result.refusals);
    if (scope === "user" || scope === "ip") {
      for (const refusal of result.refusals) {
        // A model's layers are not cached: they refuse only requests that model answers.
        if (refusal.reason === "rate" && refusal.state.model === undefined)
          admission.refusals.remember(refusal.state, result.layers, now);
      }
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
    // Until this request is decided, the fallback counts its attempt as possibly admitted (for the others).
    const decided = fallback.attempting(request);
    const attempt = primary.admit(request);
    try {
      const result = await withDeadline(attempt, config.rateLimit.timeoutMs).finally(decided);
      reportStoreSuccess();
      if (result.admitted) fallback.observe(result, request.limitKey, request.now);
      // Blocks hold through an outage too: the fallback keeps each block the store refused with, and drops
      // the caller's once the store admits them (lifted elsewhere).
      if (result.admitted) fallback.operator.forgetBlocksOf(request.blockTargets);
      for (const refusal of result.admitted ? [] : result.refusals) {
        if (refusal.reason !== "blocked") continue;
        const { target, until, note: reason } = refusal;
        fallback.operator.keepBlock({ target, until, reason }, request.now);
      }
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
