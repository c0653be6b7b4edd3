// Admission on Upstash Redis: the scripts of ./redis-scripts.ts, one EVALSHA per step, shared by every instance.
import type { Redis } from "@upstash/redis";
import { AUDIT_RETENTION_MS } from "../admin/types";
import { type LayerState, logEntry, logKey, tokensKey, windowMs } from "../ratelimit/layers";
import { conversationKeys, encodeTitle } from "../store/keys";
import {
  ANONYMOUS_CONVERSATION_TTL_SECONDS,
  type ChatMessage,
  DEFAULT_TITLE,
  isAnonymousOwner,
} from "../store/types";
import {
  admissionKeys,
  HISTORY_LIMIT,
  LEASE_MS,
  MIN_REPLY_TOKENS,
  PROMPT_BYTES_PER_TOKEN,
  STATS_TOP_MAX,
  STATS_TTL_SECONDS,
  SYSTEM_PROMPT_BYTES,
  statsMinute,
  utcDay,
} from "./budget";
import type { CachedRefusal } from "./cached-refusals";
import { automaticBlockDetail } from "./operator-state";
import { ADMIT_SCRIPT, COUNT_CACHED_REFUSALS_SCRIPT, SETTLE_SCRIPT, USAGE_SCRIPT } from "./redis-scripts";
import type {
  AbusePolicy,
  AdmissionBackend,
  AdmissionRequest,
  AdmissionResult,
  LimitsQuery,
  LimitsState,
  Refusal,
  Settlement,
  UsageState,
} from "./types";

/** The script's answer (see ADMIT_SCRIPT); Lua encodes an empty table as `{}`, hence the loose arrays. */
interface ScriptAnswer {
  ok: 0 | 1;
  plan: string;
  model?: string;
  layers: [index: number, limit: number, used: number, frees: number][] | Record<string, never>;
  refusals?: (string | number)[][] | Record<string, never>;
  claim?: "created" | "mine";
  history?: (string | ChatMessage)[] | Record<string, never>;
  length?: number;
  reserved?: number;
  maxOutput?: number;
  usedTokens: number;
  leased?: boolean;
}

const list = <T>(value: T[] | Record<string, never> | undefined): T[] => (Array.isArray(value) ? value : []);

/** The default title as the scripts store it; the same on every call. */
const ENCODED_DEFAULT_TITLE = encodeTitle(DEFAULT_TITLE);

export class RedisAdmissionBackend implements AdmissionBackend {
  readonly kind = "redis" as const;
  private readonly admitScript;
  private readonly settleScript;
  private readonly usageScript;
  private readonly countScript;

  constructor(private readonly redis: Redis) {
    this.admitScript = redis.createScript<string | ScriptAnswer>(ADMIT_SCRIPT);
    this.settleScript = redis.createScript<number>(SETTLE_SCRIPT);
    this.countScript = redis.createScript<number>(COUNT_CACHED_REFUSALS_SCRIPT);
    this.usageScript = redis.createScript<[number, number, string | number]>(USAGE_SCRIPT);
  }

  async admit(req: AdmissionRequest): Promise<AdmissionResult> {
    const { now, limitKey, owner, conversationId: id } = req;
    const keys = [
      ...limitKeys(req),
      admissionKeys.leases(limitKey),
      admissionKeys.reservations(limitKey),
      admissionKeys.usage(limitKey, utcDay(now)),
      conversationKeys.owner(id),
      conversationKeys.meta(owner, id),
      conversationKeys.messages(owner, id),
      conversationKeys.messageIds(owner, id),
      admissionKeys.stats(statsMinute(now)),
      admissionKeys.statsTop(statsMinute(now)),
      admissionKeys.abuse(limitKey),
      admissionKeys.blocks(),
      ...req.blockTargets.map(admissionKeys.block),
      admissionKeys.audit(),
    ];
    const spec = {
      ...limitSpec(req),
      entry: logEntry(req.messageId, req.leaseId),
      owner,
      limitKey,
      intent: req.intent,
      blockTargets: req.blockTargets,
      statsTtl: STATS_TTL_SECONDS,
      topMax: STATS_TOP_MAX,
      abuse: abuseSpec(req.abuse),
      messageId: req.messageId,
      expectLast: req.expectLastMessageId,
      messageBytes: req.messageBytes,
      systemBytes: SYSTEM_PROMPT_BYTES,
      bytesPerToken: PROMPT_BYTES_PER_TOKEN,
      minReply: MIN_REPLY_TOKENS,
      historyLimit: HISTORY_LIMIT,
      leaseId: req.leaseId,
      leaseMs: LEASE_MS,
      maxOutput: req.maxOutputTokens,
      defaultTitle: ENCODED_DEFAULT_TITLE,
      anonymousTtl: isAnonymousOwner(owner) ? ANONYMOUS_CONVERSATION_TTL_SECONDS : 0,
    };
    const answer = await this.run(keys, now, spec);
    const layers = layerStates(answer, req);
    if (answer.ok !== 1) {
      const refusals = list(answer.refusals).map((r) => toRefusal(r, layers, req));
      return { admitted: false, plan: answer.plan, model: answer.model ?? null, layers, refusals };
    }
    const history = list(answer.history).map((m) =>
      typeof m === "string" ? (JSON.parse(m) as ChatMessage) : m,
    );
    return {
      admitted: true,
      plan: answer.plan,
      model: answer.model ?? req.model ?? "",
      layers,
      claim: answer.claim ?? "created",
      history,
      length: answer.length ?? 0,
      grant: {
        reserved: answer.reserved ?? 0,
        maxOutputTokens: answer.maxOutput ?? req.maxOutputTokens,
        leased: answer.leased === true,
        day: utcDay(now),
        cost: req.models.find((m) => m.key === answer.model)?.cost ?? 1,
      },
      usedTokens: answer.usedTokens,
    };
  }

  async peek(query: LimitsQuery): Promise<LimitsState> {
    const answer = await this.run(limitKeys(query), query.now, { ...limitSpec(query), peek: true });
    return { plan: answer.plan, model: answer.model ?? null, layers: layerStates(answer, query) };
  }

  private async run(keys: string[], now: number, spec: object): Promise<ScriptAnswer> {
    const raw = await this.admitScript.exec(keys, [String(now), JSON.stringify(spec)]);
    // @upstash/redis parses JSON results itself; a client without automatic deserialization hands the text.
    return typeof raw === "string" ? JSON.parse(raw) : raw;
  }

  async settle(s: Settlement, now: number): Promise<void> {
    const { owner, conversationId: id } = s;
    const keys = [
      admissionKeys.leases(s.limitKey),
      admissionKeys.reservations(s.limitKey),
      admissionKeys.usage(s.limitKey, s.day),
      conversationKeys.messages(owner, id),
      conversationKeys.meta(owner, id),
      conversationKeys.index(owner),
      conversationKeys.owner(id),
      conversationKeys.messageIds(owner, id),
      ...(s.tokenLogs ?? []).flatMap((check) => [logKey(check), tokensKey(check)]),
      ...(s.uncount ?? []).flatMap((check) =>
        check.layer.tokens ? [logKey(check), tokensKey(check)] : [logKey(check)],
      ),
      ...(s.breaker ? [logKey(s.breaker.check), admissionKeys.stats(statsMinute(now))] : []),
    ];
    const spec = {
      tokenLogs: s.tokenLogs?.length ?? 0,
      uncount: s.uncount?.length ? s.uncount.map((check) => (check.layer.tokens ? 1 : 0)) : undefined,
      busyUntil: s.breaker?.until,
      busyModel: s.breaker?.check.model,
      statsTtl: STATS_TTL_SECONDS,
      modelTokens: Math.max(0, Math.ceil(s.modelTokens ?? s.tokens)),
      entry: s.entry,
      leaseId: s.leaseId,
      leased: s.leased,
      tokens: Math.max(0, Math.ceil(s.tokens)),
      owner,
      conversationId: id,
      claim: s.claim,
      title: s.title === undefined ? undefined : encodeTitle(s.title),
      defaultTitle: ENCODED_DEFAULT_TITLE,
      forgetMessageId: s.forgetMessageId,
      replace: s.replace,
      anonymousTtl: isAnonymousOwner(owner) ? ANONYMOUS_CONVERSATION_TTL_SECONDS : 0,
    };
    const messages = s.claim === "unavailable" ? [] : s.messages.map((m) => JSON.stringify(m));
    await this.settleScript.exec(keys, [String(now), JSON.stringify(spec), ...messages]);
  }

  async countCachedRefusals(now: number, refused: CachedRefusal[], abuse: AbusePolicy | null): Promise<void> {
    const minute = statsMinute(now);
    const keys = [admissionKeys.stats(minute), admissionKeys.statsTop(minute), admissionKeys.blocks()];
    for (const r of refused) keys.push(admissionKeys.abuse(r.limitKey), admissionKeys.block(r.limitKey));
    keys.push(admissionKeys.audit());
    const spec = {
      statsTtl: STATS_TTL_SECONDS,
      topMax: STATS_TOP_MAX,
      refused: refused.map((r) => [r.scope, r.limitKey, r.times]),
      abuse: abuseSpec(abuse),
    };
    await this.countScript.exec(keys, [String(now), JSON.stringify(spec)]);
  }

  async renew(limitKey: string, leaseId: string, now: number): Promise<void> {
    const tx = this.redis.multi();
    tx.zadd(admissionKeys.leases(limitKey), { xx: true }, { score: now + LEASE_MS, member: leaseId });
    tx.pexpire(admissionKeys.leases(limitKey), LEASE_MS);
    tx.pexpire(admissionKeys.reservations(limitKey), LEASE_MS);
    await tx.exec();
  }

  async usageOf(limitKey: string, now: number): Promise<UsageState> {
    const keys = [
      admissionKeys.leases(limitKey),
      admissionKeys.reservations(limitKey),
      admissionKeys.usage(limitKey, utcDay(now)),
      admissionKeys.plan(limitKey),
    ];
    const [used, reserved, plan] = await this.usageScript.exec(keys, [String(now)]);
    return { used: Number(used), reserved: Number(reserved), storedPlan: plan ? String(plan) : null };
  }
}

/** The keys every limit check reads: the stored plan, one sliding log per layer, then token layers' hashes. */
function limitKeys(query: LimitsQuery): string[] {
  const tokenChecks = query.checks.filter((check) => check.layer.tokens);
  return [admissionKeys.plan(query.limitKey), ...query.checks.map(logKey), ...tokenChecks.map(tokensKey)];
}

/** The abuse policy in the scripts' units; undefined when off (a JSON null would be a truthy cjson.null in Lua). */
function abuseSpec(abuse: AbusePolicy | null) {
  return abuse
    ? {
        afterRefusals: abuse.afterRefusals,
        windowMs: abuse.windowSeconds * 1000,
        blockMs: abuse.blockSeconds * 1000,
        detail: automaticBlockDetail(abuse),
        auditRetentionMs: AUDIT_RETENTION_MS,
      }
    : undefined;
}

function limitSpec(query: LimitsQuery) {
  return {
    plans: query.plans,
    defaultPlan: query.defaultPlan,
    readsPlan: query.readsStoredPlan,
    // Undefined fields are left out of the JSON: a Lua `null` (cjson.null) would be truthy.
    models: query.models.map(({ key, plans, cost }) => ({ key, plans: plans ?? undefined, cost })),
    model: query.model ?? undefined,
    weightKeys: query.checks.filter((check) => check.layer.tokens).length,
    layers: query.checks.map(({ layer, model }, i) => ({
      scope: layer.scope,
      planField: layer.planField,
      fixedLimit: layer.fixedLimit,
      windowMs: windowMs(layer),
      model,
      breaker: layer.breaker,
      // Which token hash (1-based, after the logs) is this token layer's.
      weights: layer.tokens ? query.checks.slice(0, i + 1).filter((c) => c.layer.tokens).length : undefined,
    })),
  };
}

function layerStates(answer: ScriptAnswer, query: LimitsQuery): LayerState[] {
  return list(answer.layers).map(([index, limit, used, frees]) => {
    const check = query.checks[index - 1] as LimitsQuery["checks"][number];
    return { ...check, limit, remaining: Math.max(0, limit - used), resetAt: frees };
  });
}

function toRefusal(raw: (string | number)[], layers: LayerState[], req: AdmissionRequest): Refusal {
  const [reason, a, b, c, d, e] = raw;
  switch (reason) {
    case "model_not_in_plan": {
      const model = String(a);
      return { reason, model, plans: req.models.find((m) => m.key === model)?.plans ?? [] };
    }
    case "rate":
      return { reason: "rate", state: layers[Number(a) - 1] as LayerState };
    case "concurrency":
      return { reason: "concurrency", limit: Number(a), freesAt: Number(b) };
    case "credits":
      return {
        reason: "credits",
        used: Number(a),
        reserved: Number(b),
        budget: Number(c),
        historyTokens: Number(d ?? 0),
        newChatFits: Number(e ?? 0) === 1,
      };
    case "duplicate":
      return { reason: "duplicate" };
    case "nothing_to_replace":
      return { reason: "nothing_to_replace" };
    case "stale":
      return { reason: "stale" };
    case "blocked":
      return { reason: "blocked", until: Number(a), note: String(b), target: String(c) };
    default:
      return { reason: "not_found" };
  }
}
