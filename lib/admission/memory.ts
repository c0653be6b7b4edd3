// Admission in one process's memory: the store on a laptop, and every instance's local limits while Redis is down.

import { resolvePlan } from "../plans/table";
import { type LayerState, limitOf, windowEnd, windowKey } from "../ratelimit/layers";
import { MemoryWindows } from "../ratelimit/memory-windows";
import type { MemoryChatStore } from "../store/memory";
import type { ChatMessage } from "../store/types";
import {
  admissionKeys,
  estimatePromptTokens,
  HISTORY_LIMIT,
  LEASE_MS,
  replyAllowance,
  utcDay,
} from "./budget";
import type { CachedRefusal } from "./cached-refusals";
import { MemoryOperatorState } from "./operator-state";
import { refusedScope } from "./refusals";
import type {
  AbusePolicy,
  AdmissionBackend,
  AdmissionRequest,
  AdmissionResult,
  ConversationClaim,
  LimitsQuery,
  LimitsState,
  Refusal,
  Settlement,
  UsageState,
} from "./types";

interface Lease {
  expiresAt: number;
  reserved: number;
}

export interface MemoryAdmissionOptions {
  /** The conversations to claim and read; null for the outage fallback, which can't see them. */
  conversations: MemoryChatStore | null;
  /** A signed-in user's stored plan, read synchronously (in memory there is no round trip to save). */
  storedPlan?: (limitKey: string) => string | null;
  /** Most windows kept at once; beyond it expired ones are swept, then the oldest forgotten. */
  maxKeys?: number;
}

/**
 * Checks everything, then takes everything or nothing, with no await in between: atomic in one process, as
 * the Redis script is across instances (./redis-scripts.ts).
 */
export class MemoryAdmissionBackend implements AdmissionBackend {
  readonly kind = "memory" as const;
  private readonly windows: MemoryWindows;
  readonly operator = new MemoryOperatorState();
  private readonly leases = new Map<string, Map<string, Lease>>();
  private readonly usage = new Map<string, number>();
  private usageDay = "";

  constructor(private readonly options: MemoryAdmissionOptions) {
    this.windows = new MemoryWindows(options.maxKeys);
  }

  /** How many windows are held (diagnostics and tests). */
  get size(): number {
    return this.windows.size;
  }

  async admit(request: AdmissionRequest): Promise<AdmissionResult> {
    return this.admitNow(request);
  }

  async peek(query: LimitsQuery): Promise<LimitsState> {
    const { plan, counted } = this.read(query);
    return { plan, layers: counted.map((c) => c.state) };
  }

  /** The plan that applies, and each layer's window as it stands (nothing changed). */
  private read(query: LimitsQuery) {
    const stored = query.readsStoredPlan ? this.options.storedPlan?.(query.limitKey) : null;
    const plan = resolvePlan(stored, query.plans, query.defaultPlan);
    const limits = query.plans[plan] ?? { perMinute: 0, perHour: 0, concurrentStreams: 0, dailyTokens: 0 };
    const counted = query.checks.flatMap((check) => {
      const limit = limitOf(check.layer, limits);
      if (limit <= 0) return [];
      const key = windowKey(check, query.now);
      const used = this.windows.count(key, query.now);
      const resetAt = windowEnd(check.layer, query.now);
      const state: LayerState = { ...check, limit, remaining: Math.max(0, limit - used), resetAt };
      return [{ key, used, state }];
    });
    return { plan, limits, counted };
  }

  admitNow(req: AdmissionRequest): AdmissionResult {
    const { now, conversationId: id, owner } = req;
    const { plan, limits, counted } = this.read(req);
    const refusals: Refusal[] = counted.flatMap(({ used, state }) =>
      used + 1 > state.limit ? [{ reason: "rate" as const, state }] : [],
    );
    const block = this.operator.blockOf(req.blockTargets, now);
    if (block) refusals.push({ reason: "blocked", until: block.until, note: block.reason });

    const live = this.liveLeases(req.limitKey, now);
    const cap = limits.concurrentStreams;
    if (cap > 0 && live.size >= cap) {
      refusals.push({
        reason: "concurrency",
        limit: cap,
        freesAt: Math.min(...[...live.values()].map((l) => l.expiresAt)),
      });
    }

    const conversations = this.options.conversations;
    let claim: ConversationClaim = "unavailable";
    let history: ChatMessage[] = [];
    let historyBytes = 0;
    let length = 0;
    if (conversations) {
      const holder = conversations.holder(owner, id);
      if (holder === "taken" || (holder === "free" && req.intent !== "send"))
        refusals.push({ reason: "not_found" });
      else if (holder === "mine") {
        claim = "mine";
        if (req.messageId && conversations.hasMessageId(owner, id, req.messageId))
          refusals.push({ reason: "duplicate" });
        ({
          messages: history,
          bytes: historyBytes,
          length,
        } = conversations.history(owner, id, HISTORY_LIMIT));
        if (req.intent !== "send" && !history.some((m) => m.role === "user")) {
          refusals.push({ reason: "nothing_to_replace" });
        } else if (req.expectLastMessageId && history.at(-1)?.id !== req.expectLastMessageId) {
          refusals.push({ reason: "stale" });
        }
      } else claim = "created";
    }

    const day = utcDay(now);
    const usageKey = admissionKeys.usage(req.limitKey, day);
    const usedTokens = this.usageOn(usageKey, day);
    const budget = limits.dailyTokens;
    const grant = { reserved: 0, maxOutputTokens: req.maxOutputTokens, leased: cap > 0 || budget > 0, day };
    if (budget > 0) {
      const reserved = [...live.values()].reduce((sum, lease) => sum + lease.reserved, 0);
      const prompt = estimatePromptTokens(historyBytes, req.messageBytes);
      const allowance = replyAllowance(budget - usedTokens - reserved, prompt, req.maxOutputTokens);
      if (allowance === null) {
        const fresh = estimatePromptTokens(0, req.messageBytes);
        refusals.push({
          reason: "credits",
          used: usedTokens,
          reserved,
          budget,
          historyTokens: prompt - fresh,
          newChatFits: replyAllowance(budget - usedTokens - reserved, fresh, req.maxOutputTokens) !== null,
        });
      } else Object.assign(grant, { reserved: prompt + allowance, maxOutputTokens: allowance });
    }

    if (refusals.length > 0) {
      const scope = refusedScope(refusals);
      if (scope) this.operator.countRefusal(now, scope, req.limitKey, req.abuse);
      return { admitted: false, plan, layers: counted.map((c) => c.state), refusals };
    }

    for (const { key, used, state } of counted) {
      this.windows.set(key, used + 1, state.resetAt, now);
      state.remaining = Math.max(0, state.limit - used - 1);
    }
    if (grant.leased) {
      live.set(req.leaseId, { expiresAt: now + LEASE_MS, reserved: grant.reserved });
      this.leases.set(req.limitKey, live);
    }
    if (conversations && claim !== "unavailable") {
      if (claim === "created") conversations.create(owner, id);
      if (req.messageId) conversations.rememberMessageId(owner, id, req.messageId);
    }
    this.operator.count(now, "admitted");
    const layers = counted.map((c) => c.state);
    return { admitted: true, plan, layers, claim, history, length, grant, usedTokens };
  }

  async settle(s: Settlement, now: number): Promise<void> {
    this.settleNow(s, now);
  }

  settleNow(s: Settlement, now: number): void {
    if (s.leased) this.release(s.limitKey, s.leaseId);
    if (s.tokens > 0) {
      const key = admissionKeys.usage(s.limitKey, s.day);
      this.usage.set(key, this.usageOn(key, utcDay(now)) + Math.ceil(s.tokens));
    }
    const conversations = this.options.conversations;
    if (!conversations || s.claim === "unavailable") return;
    if (s.forgetMessageId) conversations.forgetMessageId(s.owner, s.conversationId, s.forgetMessageId);
    if (s.replace) conversations.truncate(s.owner, s.conversationId, s.replace.from, s.replace.expectLength);
    if (s.messages.length > 0 || s.title !== undefined) {
      conversations.append(s.owner, s.conversationId, s.messages, s.title);
    }
  }

  async countCachedRefusals(now: number, refused: CachedRefusal[], abuse: AbusePolicy | null): Promise<void> {
    for (const r of refused) this.operator.countRefusal(now, r.scope, r.limitKey, abuse, r.times);
  }

  /** Forgets these window counters (an operator's reset). */
  clearWindows(keys: string[]): void {
    for (const key of keys) this.windows.delete(key);
  }

  async renew(limitKey: string, leaseId: string, now: number): Promise<void> {
    const lease = this.leases.get(limitKey)?.get(leaseId);
    if (lease) lease.expiresAt = now + LEASE_MS;
  }

  async usageOf(limitKey: string, now: number): Promise<UsageState> {
    const day = utcDay(now);
    const used = this.usageOn(admissionKeys.usage(limitKey, day), day);
    const reserved = [...this.liveLeases(limitKey, now).values()].reduce((sum, l) => sum + l.reserved, 0);
    return { used, reserved, storedPlan: this.options.storedPlan?.(limitKey) ?? null };
  }

  /**
   * Learns what the shared store counted for an identity, so that this instance's local limits during an
   * outage start from there instead of from zero (a client then gets at most the limit, not limit × instances).
   */
  observe(result: AdmissionResult & { admitted: true }, limitKey: string, now: number): void {
    for (const state of result.layers) {
      this.windows.raise(windowKey(state, now), state.limit - state.remaining, state.resetAt, now);
    }
    const day = utcDay(now);
    const key = admissionKeys.usage(limitKey, day);
    this.usage.set(key, Math.max(this.usageOn(key, day), result.usedTokens));
  }

  private release(limitKey: string, leaseId: string): void {
    const live = this.leases.get(limitKey);
    live?.delete(leaseId);
    if (live?.size === 0) this.leases.delete(limitKey);
  }

  private liveLeases(limitKey: string, now: number): Map<string, Lease> {
    const live = this.leases.get(limitKey) ?? new Map<string, Lease>();
    for (const [id, lease] of live) if (lease.expiresAt <= now) live.delete(id);
    if (live.size === 0) this.leases.delete(limitKey);
    return live;
  }

  /** A day's counter; counters of other days are dropped on the first access of a new day. */
  private usageOn(key: string, day: string): number {
    if (day !== this.usageDay) {
      for (const k of this.usage.keys()) if (!k.endsWith(`:${day}`)) this.usage.delete(k);
      this.usageDay = day;
    }
    return this.usage.get(key) ?? 0;
  }
}
