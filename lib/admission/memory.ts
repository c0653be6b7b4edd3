// Admission in one process's memory: the store on a laptop, and every instance's local limits while Redis is down.

import { resolvePlan } from "../plans/table";
import { type LayerState, limitOf, logEntry, logKey, windowMs } from "../ratelimit/layers";
import { MemoryLogs } from "../ratelimit/memory-logs";
import { MemoryTokenLogs } from "../ratelimit/memory-token-logs";
import type { MemoryChatStore } from "../store/memory";
import type { ChatMessage } from "../store/types";
import {
  admissionKeys,
  estimatePromptTokens,
  HISTORY_LIMIT,
  LEASE_MS,
  replyAllowance,
  reservationTokens,
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
  ModelOption,
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
  /** Most sliding logs kept at once; beyond it expired ones are swept, then the oldest forgotten. */
  maxKeys?: number;
}

/**
 * Checks everything, then takes everything or nothing, with no await in between: atomic in one process, as
 * the Redis script is across instances (./redis-scripts.ts).
 */
/** The wait told while only this instance's undecided store attempts fill a layer (see `undecided`). */
const UNDECIDED_RETRY_MS = 1_000;

export class MemoryAdmissionBackend implements AdmissionBackend {
  readonly kind = "memory" as const;
  private readonly logs: MemoryLogs;
  private readonly tokenLogs = new MemoryTokenLogs();
  /** Each model's breaker: until when (epoch ms) its provider said it is full. */
  private readonly breakers = new Map<string, number>();
  readonly operator = new MemoryOperatorState();
  private readonly leases = new Map<string, Map<string, Lease>>();
  private readonly usage = new Map<string, number>();
  private usageDay = "";
  /**
   * As the fallback: this instance's store attempts still waiting for their answer, per log key. Each may yet
   * be admitted by the store, so a decision made here meanwhile (the store slow, or marked down) counts them as
   * taken. Without it a flood that tripped the deadline got the limit twice: once here, once from the store.
   */
  private readonly undecided = new Map<string, number>();

  constructor(private readonly options: MemoryAdmissionOptions) {
    this.logs = new MemoryLogs(options.maxKeys);
  }

  /** How many sliding logs are held (diagnostics and tests). */
  get size(): number {
    return this.logs.size;
  }

  async admit(request: AdmissionRequest): Promise<AdmissionResult> {
    return this.admitNow(request);
  }

  /** Counts a store attempt for `query` as possibly admitted until the returned function is called (once). */
  attempting(query: LimitsQuery): () => void {
    const keys = query.checks.filter((check) => !check.layer.tokens).map(logKey);
    for (const key of keys) this.undecided.set(key, (this.undecided.get(key) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const key of keys) {
        const left = (this.undecided.get(key) ?? 1) - 1;
        if (left > 0) this.undecided.set(key, left);
        else this.undecided.delete(key);
      }
    };
  }

  async peek(query: LimitsQuery): Promise<LimitsState> {
    const { plan, model, counted } = this.read(query);
    return { plan, model, layers: counted.map((c) => c.state) };
  }

  /** The plan that applies, the model that answers, and each layer's log as it stands (nothing changed). */
  private read(query: LimitsQuery) {
    const stored = query.readsStoredPlan ? this.options.storedPlan?.(query.limitKey) : null;
    const plan = resolvePlan(stored, query.plans, query.defaultPlan);
    const limits = query.plans[plan] ?? { perMinute: 0, perHour: 0, concurrentStreams: 0, dailyTokens: 0 };
    const { model, refusal } = chooseModel(query, plan);
    const counted = query.checks.flatMap((check) => {
      if (check.layer.breaker) {
        const held = check.model === model ? (this.breakers.get(logKey(check)) ?? 0) : 0;
        if (held <= query.now) return [];
        return [{ key: logKey(check), used: 1, state: { ...check, limit: 0, remaining: 0, resetAt: held } }];
      }
      const limit = limitOf(check.layer, limits);
      if (limit <= 0 || (check.model !== undefined && check.model !== model)) return [];
      const key = logKey(check);
      const logged = check.layer.tokens
        ? this.tokenLogs.state(key, query.now, windowMs(check.layer))
        : this.logs.state(key, query.now, windowMs(check.layer), limit);
      const inFlight = check.layer.tokens ? 0 : (this.undecided.get(key) ?? 0);
      const used = logged.used + inFlight;
      // Full only by attempts still in flight: they are answered within the store's deadline, so look again soon.
      const freesAt = inFlight > 0 && logged.used < limit ? query.now + UNDECIDED_RETRY_MS : logged.freesAt;
      const state: LayerState = { ...check, limit, remaining: Math.max(0, limit - used), resetAt: freesAt };
      return [{ key, used, state }];
    });
    return { plan, limits, model, refusal, counted };
  }

  admitNow(req: AdmissionRequest): AdmissionResult {
    const { now, conversationId: id, owner } = req;
    const { plan, limits, model, refusal, counted } = this.read(req);
    // Token layers are checked once the message's tokens are known (after the credits).
    const refusals: Refusal[] = counted.flatMap(({ used, state }) =>
      !state.layer.tokens && used + 1 > state.limit ? [{ reason: "rate" as const, state }] : [],
    );
    if (refusal) refusals.push(refusal);
    const block = this.operator.blockOf(req.blockTargets, now);
    if (block) {
      refusals.push({ reason: "blocked", until: block.until, note: block.reason, target: block.target });
    }

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
    const cost = req.models.find((m) => m.key === model)?.cost ?? 1;
    const grant = {
      reserved: 0,
      maxOutputTokens: req.maxOutputTokens,
      leased: cap > 0 || budget > 0,
      day,
      cost,
    };
    const prompt = estimatePromptTokens(historyBytes, req.messageBytes);
    if (budget > 0) {
      const reserved = [...live.values()].reduce((sum, lease) => sum + lease.reserved, 0);
      // A model's tokenCost: daily-credit tokens per token of it.
      const left = Math.floor((budget - usedTokens - reserved) / cost);
      const allowance = replyAllowance(left, prompt, req.maxOutputTokens);
      if (allowance === null) {
        const fresh = estimatePromptTokens(0, req.messageBytes);
        refusals.push({
          reason: "credits",
          used: usedTokens,
          reserved,
          budget,
          historyTokens: prompt - fresh,
          newChatFits: replyAllowance(left, fresh, req.maxOutputTokens) !== null,
        });
      } else
        Object.assign(grant, {
          reserved: reservationTokens(prompt, allowance, cost),
          maxOutputTokens: allowance,
        });
    }

    // A model's tokensPerMinute counts plain tokens: the prompt estimate and the reply's cap must fit the window.
    const need = prompt + grant.maxOutputTokens;
    for (const { key, used, state } of counted) {
      if (!state.layer.tokens || used + need <= state.limit) continue;
      state.resetAt = this.tokenLogs.freesFor(key, now, windowMs(state.layer), state.limit, need);
      refusals.push({ reason: "rate", state });
    }

    if (refusals.length > 0) {
      const scope = refusedScope(refusals);
      if (scope) this.operator.countRefusal(now, scope, req.limitKey, req.abuse);
      if (scope && model) this.operator.count(now, `model:${model}:refused`);
      return { admitted: false, plan, model, layers: counted.map((c) => c.state), refusals };
    }

    const entry = logEntry(req.messageId, req.leaseId);
    for (const { key, used, state } of counted) {
      const taken = state.layer.tokens ? need : 1;
      if (state.layer.tokens) this.tokenLogs.add(key, entry, now, windowMs(state.layer), need);
      else this.logs.add(key, entry, now, windowMs(state.layer));
      state.remaining = Math.max(0, state.limit - used - taken);
      if (state.resetAt <= now) state.resetAt = now + windowMs(state.layer); // it was empty
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
    if (model) this.operator.count(now, `model:${model}:admitted`);
    const layers = counted.map((c) => c.state);
    return { admitted: true, plan, model: model ?? "", layers, claim, history, length, grant, usedTokens };
  }

  async settle(s: Settlement, now: number): Promise<void> {
    this.settleNow(s, now);
  }

  settleNow(s: Settlement, now: number): void {
    for (const check of s.tokenLogs ?? [])
      this.tokenLogs.settle(logKey(check), s.entry ?? "", Math.ceil(s.modelTokens ?? s.tokens));
    for (const check of s.uncount ?? []) {
      if (check.layer.tokens) this.tokenLogs.remove(logKey(check), s.entry ?? "");
      else this.logs.remove(logKey(check), s.entry ?? "");
    }
    if (s.breaker && s.breaker.until > (this.breakers.get(logKey(s.breaker.check)) ?? 0)) {
      for (const [key, until] of this.breakers) if (until <= now) this.breakers.delete(key);
      this.breakers.set(logKey(s.breaker.check), s.breaker.until);
    }
    if (s.breaker) this.operator.count(now, `model:${s.breaker.check.model}:provider_busy`);
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

  /** Forgets these sliding logs (an operator's reset). */
  clearWindows(keys: string[]): void {
    for (const key of keys) this.logs.delete(key);
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
   * Each layer's log is mirrored from its count and its oldest entry (see MemoryLogs.mirror).
   */
  observe(result: AdmissionResult & { admitted: true }, limitKey: string, now: number): void {
    for (const state of result.layers) {
      if (state.layer.tokens) continue; // a model's app-wide tokens: nothing per client to mirror
      const used = state.limit - state.remaining;
      this.logs.mirror(logKey(state), used, state.resetAt, now, windowMs(state.layer));
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

/**
 * The model that answers: the one asked for, or the first the plan may use (as the Redis script chooses);
 * a model outside the plan — or none at all for it — is a refusal.
 */
function chooseModel(query: LimitsQuery, plan: string): { model: string | null; refusal: Refusal | null } {
  const allowed = (option: ModelOption) => option.plans === null || option.plans.includes(plan);
  const notInPlan = (option: ModelOption): Refusal => ({
    reason: "model_not_in_plan",
    model: option.key,
    plans: option.plans ?? [],
  });
  if (query.model !== null) {
    const option = query.models.find((m) => m.key === query.model);
    if (!option) return { model: null, refusal: null };
    return { model: option.key, refusal: allowed(option) ? null : notInPlan(option) };
  }
  const first = query.models.find(allowed);
  if (first) return { model: first.key, refusal: null };
  const [any] = query.models;
  return { model: null, refusal: any ? notInPlan(any) : null };
}
