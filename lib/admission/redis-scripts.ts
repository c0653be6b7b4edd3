// The admission and settle steps as Redis Lua scripts: each one round trip, atomic across every instance.
import { AUDIT_APPEND_LUA } from "../admin/audit-lua";

/**
 * Why one script and not @upstash/ratelimit's `limit()` per layer: each `limit()` commits on its own, so a
 * request refused by one layer was already counted by the others and had to be refunded afterwards — racy
 * (parallel requests saw the inflated counts, refunds landed in the next window) and a second round trip.
 * Here every check runs first and the request takes all or nothing: a refusal leaves no trace.
 *
 * Each layer is a sliding log (lib/ratelimit/layers.ts logKey): a sorted set of the messages admitted in the
 * last window, scored by when (epoch ms). A message is admitted only if fewer than the limit were admitted in
 * the last W ms, so no interval of W holds more than the limit — for any arrival pattern — and the wait is
 * exact: until the oldest counted entry leaves. Why ours and not @upstash/ratelimit's: its fixedWindow and
 * slidingWindow (an estimate from two fixed windows) both admit 2× the limit around a window edge, its
 * tokenBucket and GCRA-like modes admit a burst plus the refill, and none reports when the oldest counted
 * message leaves; it has no exact log. Ours is kept minimal: ZREMRANGEBYSCORE (drop what left), ZCARD, the
 * oldest counted via ZRANGE WITHSCORES, and on admission ZADD + PEXPIRE (a log dies W after its newest entry);
 * a log never holds more than its limit, as nothing is added to a full one.
 *
 * The clock: one `now` (ARGV 1), read once by the instance per request, scores the logs and times the leases,
 * blocks and the answer's waits (which the instance computes from the same `now`, so Retry-After is exact
 * against the log). Not Redis TIME: every other key of the step (credit day, stats minute) is named from the
 * same instant, and the tests drive it. Instances keep NTP time; a skew of d ms moves a wait by at most d.
 * lib/admission/memory.ts is the same logic in memory; lib/admission/backend-contract.ts runs the same cases
 * against both.
 *
 * KEYS: 1 plan, 2.. one sliding log per layer check, then the token hashes of token layers (spec.weightKeys;
 *       n = #spec.layers + spec.weightKeys), then n+2 leases (zset),
 *       n+3 reservations (hash), n+4 usage, n+5 conversation owner, n+6 meta, n+7 messages, n+8 message ids,
 *       n+9 stats (hash), n+10 stats top (zset), n+11 abuse counter, n+12 blocks index, n+13.. block keys,
 *       last the audit log.
 * ARGV: 1 now (epoch ms), 2 spec (JSON, see RedisAdmissionBackend.admit).
 * Returns JSON: { ok, plan, model, layers = {{index, limit, used, frees}}, refusals, claim, history, length,
 *                 reserved, maxOutput, usedTokens, leased }.
 * With spec.peek the script only reads: plan and layers (KEYS 1..n+1), for GET /api/limits.
 */
const PLAN_AND_LAYERS = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
-- Token layers (a model's tokensPerMinute) keep each entry's tokens in a hash next to their log.
local n = #spec.layers + (spec.weightKeys or 0)
local LEASES, RESERVED, USAGE, OWNER, META, MSGS, MSGIDS = n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8
local STATS, TOP, ABUSE, BLOCKS = n + 9, n + 10, n + 11, n + 12

local plan = spec.defaultPlan
if spec.readsPlan then
  local stored = redis.call("GET", KEYS[1])
  if stored and spec.plans[stored] then plan = stored end
end
local limits = spec.plans[plan]
local refusals = {}

-- The model that answers: the one asked for, or the first this plan may use. A model's rows (layers with
-- layer.model) count only when it answers; the others are left alone.
local model, firstAllowed = nil, nil
for _, option in ipairs(spec.models) do
  local allowed = not option.plans
  for _, p in ipairs(option.plans or {}) do if p == plan then allowed = true end end
  if allowed and not firstAllowed then firstAllowed = option.key end
  if option.key == spec.model then
    model = option.key
    if not allowed then refusals[#refusals + 1] = { "model_not_in_plan", option.key } end
  end
end
if not spec.model then
  model = firstAllowed
  -- This plan may use none of the models: refused as if it had asked for the first.
  if not model and #spec.models > 0 then refusals[#refusals + 1] = { "model_not_in_plan", spec.models[1].key } end
end

local function weightsOf(layer) return KEYS[1 + #spec.layers + layer.weights] end

-- A token log: entries that left the window are dropped with their tokens; returns the tokens counted and
-- when the oldest entry leaves. The hash's "=total" field is the sum of its entries.
local function readTokens(log, weights, windowMs)
  -- In batches: unpack() of thousands of entries would overflow Lua's stack.
  local gone = redis.call("ZRANGEBYSCORE", log, "-inf", now - windowMs, "LIMIT", 0, 1000)
  while #gone > 0 do
    local sum = 0
    for _, v in ipairs(redis.call("HMGET", weights, unpack(gone))) do sum = sum + (tonumber(v) or 0) end
    redis.call("HDEL", weights, unpack(gone))
    redis.call("ZREM", log, unpack(gone))
    redis.call("HINCRBY", weights, "=total", -sum)
    gone = redis.call("ZRANGEBYSCORE", log, "-inf", now - windowMs, "LIMIT", 0, 1000)
  end
  local oldest = redis.call("ZRANGE", log, 0, 0, "WITHSCORES")
  local frees = oldest[2] and tonumber(oldest[2]) + windowMs or now
  return tonumber(redis.call("HGET", weights, "=total") or "0"), frees
end

local layers = {}
local tokenStates = {}
for i, layer in ipairs(spec.layers) do
  local limit = layer.fixedLimit or limits[layer.planField] or 0
  if layer.breaker then
    -- The provider said this model is full until then: refused like a full layer, nothing spent.
    local held = layer.model == model and tonumber(redis.call("GET", KEYS[1 + i]) or "0") or 0
    if held > now then
      layers[#layers + 1] = { i, 0, 0, held }
      refusals[#refusals + 1] = { "rate", #layers }
    end
  elseif limit > 0 and (not layer.model or layer.model == model) then
    local log = KEYS[1 + i]
    if layer.weights then
      -- Checked once the message's tokens are known (after the credits).
      local used, frees = readTokens(log, weightsOf(layer), layer.windowMs)
      layers[#layers + 1] = { i, limit, used, frees }
      tokenStates[#tokenStates + 1] = #layers
    else
      -- Dropping entries that left the window changes no count: a refusal still leaves no trace.
      redis.call("ZREMRANGEBYSCORE", log, "-inf", now - layer.windowMs)
      local used = redis.call("ZCARD", log)
      local frees = now
      if used > 0 then
        -- The oldest entry still counted against the limit (more than the limit after a plan was lowered).
        local rank = math.max(0, used - limit)
        frees = tonumber(redis.call("ZRANGE", log, rank, rank, "WITHSCORES")[2]) + layer.windowMs
      end
      layers[#layers + 1] = { i, limit, used, frees }
      if used >= limit then refusals[#refusals + 1] = { "rate", #layers } end
    end
  end
end
if spec.peek then return cjson.encode({ ok = 0, plan = plan, model = model, layers = layers, usedTokens = 0 }) end
`;

/**
 * An operator's block of any of the caller's targets (`user:<id>`, `ip:<addr>`), or an automatic block of the
 * caller's own limit key (target 1): an address blocked automatically for its anonymous traffic does not
 * refuse the signed-in users behind it. The refusal names the target, so the outage fallback can keep it.
 */
const BLOCKS_CHECK = `
local blocked, blockedTarget = nil, nil
for i = 1, #spec.blockTargets do
  local raw = redis.call("GET", KEYS[BLOCKS + i])
  if raw then
    local block = cjson.decode(raw)
    local applies = i == 1 or block.reason ~= "automatic"
    if applies and block["until"] > now and (not blocked or block["until"] > blocked["until"]) then
      blocked, blockedTarget = block, spec.blockTargets[i]
    end
  end
end
if blocked then refusals[#refusals + 1] = { "blocked", blocked["until"], blocked.reason, blockedTarget } end
`;

const LEASES_AND_CONVERSATION = `
local expired = redis.call("ZRANGEBYSCORE", KEYS[LEASES], "-inf", now)
if #expired > 0 then
  redis.call("ZREM", KEYS[LEASES], unpack(expired))
  redis.call("HDEL", KEYS[RESERVED], unpack(expired))
end
local cap = limits.concurrentStreams
if cap > 0 and redis.call("ZCARD", KEYS[LEASES]) >= cap then
  local oldest = redis.call("ZRANGE", KEYS[LEASES], 0, 0, "WITHSCORES")
  refusals[#refusals + 1] = { "concurrency", cap, tonumber(oldest[2]) }
end

local claim = "created"
local history = {}
local historyBytes = 0
local length = 0
local holder = redis.call("GET", KEYS[OWNER])
if holder and holder ~= spec.owner then
  refusals[#refusals + 1] = { "not_found" }
elseif holder then
  claim = "mine"
  if spec.messageId ~= "" and redis.call("SISMEMBER", KEYS[MSGIDS], spec.messageId) == 1 then
    refusals[#refusals + 1] = { "duplicate" }
  end
  length = redis.call("LLEN", KEYS[MSGS])
  history = redis.call("LRANGE", KEYS[MSGS], -spec.historyLimit, -1)
  local hasUser = false
  for _, item in ipairs(history) do
    historyBytes = historyBytes + #item
    -- Stored by JSON.stringify of a UIMessage: the role is written exactly so.
    if string.find(item, '"role":"user"', 1, true) then hasUser = true end
  end
  if spec.intent ~= "send" and not hasUser then
    refusals[#refusals + 1] = { "nothing_to_replace" }
  elseif spec.expectLast and spec.expectLast ~= "" and cjson.decode(history[#history]).id ~= spec.expectLast then
    refusals[#refusals + 1] = { "stale" }
  end
elseif spec.intent ~= "send" then
  refusals[#refusals + 1] = { "not_found" }
end
`;

const CREDITS = `
local usedTokens = tonumber(redis.call("GET", KEYS[USAGE]) or "0")
local budget = limits.dailyTokens
local leased = cap > 0 or budget > 0
local reserved, maxOutput = 0, spec.maxOutput
local prompt = math.ceil((historyBytes + spec.messageBytes + spec.systemBytes) / spec.bytesPerToken)
-- A model's tokenCost: daily-credit tokens per token of it (its tokensPerMinute counts plain tokens).
local cost = 1
for _, option in ipairs(spec.models) do if option.key == model and option.cost then cost = option.cost end end
if budget > 0 then
  local held = 0
  for _, value in ipairs(redis.call("HVALS", KEYS[RESERVED])) do held = held + tonumber(value) end
  local left = math.floor((budget - usedTokens - held) / cost)
  local allowance = math.min(spec.maxOutput, left - prompt)
  if allowance < spec.minReply then
    local fresh = math.ceil((spec.messageBytes + spec.systemBytes) / spec.bytesPerToken)
    local freshFits = math.min(spec.maxOutput, left - fresh) >= spec.minReply
    refusals[#refusals + 1] = { "credits", usedTokens, held, budget, prompt - fresh, freshFits and 1 or 0 }
  else
    -- budget.ts reservationTokens: what GET /api/limits reports as a message's cost.
    reserved, maxOutput = math.ceil((prompt + allowance) * cost), allowance
  end
end
`;

/**
 * A model's tokensPerMinute: the message reserves its credits' upper bound (prompt estimate + the reply's cap)
 * and fits only if the window's tokens plus it stay within the quota; else it waits until enough have left.
 */
const TOKENS = `
local need = prompt + maxOutput
for _, s in ipairs(tokenStates) do
  local state = layers[s]
  local layer = spec.layers[state[1]]
  if state[3] + need > state[2] then
    local weights = weightsOf(layer)
    local entries = redis.call("ZRANGE", KEYS[1 + state[1]], 0, -1, "WITHSCORES")
    local freed, frees = 0, nil
    for j = 1, #entries, 2 do
      freed = freed + (tonumber(redis.call("HGET", weights, entries[j])) or 0)
      if state[3] - freed + need <= state[2] then
        frees = tonumber(entries[j + 1]) + layer.windowMs
        break
      end
    end
    -- More than the whole quota never fits: it is told a window, and refused again then.
    state[4] = frees or now + layer.windowMs
    refusals[#refusals + 1] = { "rate", s }
  end
end
`;

/**
 * The audit entry of an automatic block (actor `automatic`), kept by age like every entry (lib/admin/redis.ts
 * reads them): `at` in epoch ms, a unique `id`. spec.abuse carries the words and the retention.
 */
const AUDIT_AUTOMATIC_BLOCK = `${AUDIT_APPEND_LUA}
local function auditAutomaticBlock(auditKey, key, id)
  local entry = { id = id, at = now, actor = "automatic", action = "block", key = key, detail = spec.abuse.detail }
  appendAudit(auditKey, now, cjson.encode(entry), spec.abuse.auditRetentionMs)
end
`;

/** Per-minute counts for the operator's console, and repeat offenders blocked automatically (spec.abuse). */
const STATS_AND_ABUSE = `${AUDIT_AUTOMATIC_BLOCK}
local function count(field, key)
  redis.call("HINCRBY", KEYS[STATS], field, 1)
  redis.call("EXPIRE", KEYS[STATS], spec.statsTtl)
  if not key then return end
  redis.call("ZINCRBY", KEYS[TOP], 1, key)
  redis.call("EXPIRE", KEYS[TOP], spec.statsTtl)
  if redis.call("ZCARD", KEYS[TOP]) > spec.topMax then redis.call("ZREMRANGEBYRANK", KEYS[TOP], 0, 0) end
end

-- The scope a refusal is counted under, in the precedence lib/admission/refusals.ts answers with.
local function refusedScope()
  local scopes = {}
  local rateReset, rateScope = -1, nil
  for _, r in ipairs(refusals) do
    scopes[r[1]] = true
    if r[1] == "rate" and layers[r[2]][4] > rateReset then
      rateReset, rateScope = layers[r[2]][4], spec.layers[layers[r[2]][1]].scope
    end
  end
  if scopes.blocked then return "blocked" end
  if scopes.model_not_in_plan then return nil end
  if rateScope then return rateScope end
  if scopes.concurrency then return "concurrency" end
  if scopes.not_found or scopes.duplicate or scopes.nothing_to_replace or scopes.stale then return nil end
  if scopes.credits then return "credits" end
  return nil
end

local function countRefusal()
  local scope = refusedScope()
  if not scope then return end
  count("refused:" .. scope, spec.limitKey)
  if model then redis.call("HINCRBY", KEYS[STATS], "model:" .. model .. ":refused", 1) end
  -- A full model is nobody's doing: it never counts towards blocking the person.
  if not spec.abuse or scope == "blocked" or scope == "credits" or scope == "model" then return end
  local refused = redis.call("INCR", KEYS[ABUSE])
  if refused == 1 then redis.call("PEXPIRE", KEYS[ABUSE], spec.abuse.windowMs) end
  if refused > spec.abuse.afterRefusals and not redis.call("GET", KEYS[BLOCKS + 1]) then
    local blockedUntil = now + spec.abuse.blockMs
    local block = cjson.encode({ ["until"] = blockedUntil, reason = "automatic" })
    redis.call("SET", KEYS[BLOCKS + 1], block, "PX", spec.abuse.blockMs)
    redis.call("ZREMRANGEBYSCORE", KEYS[BLOCKS], "-inf", now) -- the index never outgrows the live blocks
    redis.call("ZADD", KEYS[BLOCKS], blockedUntil, spec.blockTargets[1])
    auditAutomaticBlock(KEYS[#KEYS], spec.blockTargets[1], spec.leaseId)
  end
end
`;

const COMMIT = `
if #refusals > 0 then
  countRefusal()
  return cjson.encode({ ok = 0, plan = plan, model = model, layers = layers, refusals = refusals,
    usedTokens = usedTokens })
end

for _, state in ipairs(layers) do
  local layer = spec.layers[state[1]]
  local log, windowMs = KEYS[1 + state[1]], layer.windowMs
  if state[4] <= now then state[4] = now + windowMs end -- it was empty: this entry is the oldest
  redis.call("ZADD", log, now, spec.entry)
  redis.call("PEXPIRE", log, windowMs)
  if layer.weights then
    local weights = weightsOf(layer)
    redis.call("HSET", weights, spec.entry, need)
    redis.call("HINCRBY", weights, "=total", need)
    redis.call("PEXPIRE", weights, windowMs)
    state[3] = state[3] + need
  else
    state[3] = state[3] + 1
  end
end
if leased then
  redis.call("ZADD", KEYS[LEASES], now + spec.leaseMs, spec.leaseId)
  redis.call("PEXPIRE", KEYS[LEASES], spec.leaseMs)
  if reserved > 0 then
    redis.call("HSET", KEYS[RESERVED], spec.leaseId, reserved)
    redis.call("PEXPIRE", KEYS[RESERVED], spec.leaseMs)
  end
end
if claim == "created" then
  redis.call("SET", KEYS[OWNER], spec.owner)
  redis.call("HSET", KEYS[META], "title", spec.defaultTitle, "updatedAt", now)
end
if spec.messageId ~= "" then redis.call("SADD", KEYS[MSGIDS], spec.messageId) end
if spec.anonymousTtl > 0 then
  for _, k in ipairs({ KEYS[OWNER], KEYS[META], KEYS[MSGIDS] }) do redis.call("EXPIRE", k, spec.anonymousTtl) end
end
count("admitted", nil)
if model then redis.call("HINCRBY", KEYS[STATS], "model:" .. model .. ":admitted", 1) end
return cjson.encode({ ok = 1, plan = plan, model = model, layers = layers, claim = claim, history = history, length = length,
  reserved = reserved, maxOutput = maxOutput, usedTokens = usedTokens, leased = leased })
`;

export const ADMIT_SCRIPT = [
  PLAN_AND_LAYERS,
  BLOCKS_CHECK,
  LEASES_AND_CONVERSATION,
  CREDITS,
  TOKENS,
  STATS_AND_ABUSE,
  COMMIT,
].join("");

/**
 * After a reply: release its lease, bill its tokens, append the exchange (replacing the last turn for
 * regenerate and edit) and set the title — one round trip. A conversation deleted meanwhile is not brought back.
 *
 * KEYS: 1 leases, 2 reservations, 3 usage, 4 messages, 5 meta, 6 owner index, 7 conversation owner, 8 message ids,
 *       then per token log (spec.tokenLogs of them): its sorted set and its hash of tokens; then per log to
 *       uncount (spec.uncount: 1 for a token log, else 0) its sorted set (and hash); then the breaker key if
 *       spec.busyUntil is set (the provider refused before the first token) and the minute's stats.
 * ARGV: 1 now, 2 spec (JSON: leaseId, leased, tokens, owner, conversationId, claim, title?, defaultTitle,
 *       forgetMessageId?, replace? {from, expectLength}, anonymousTtl), 3.. the messages to append (JSON each).
 *       Titles come JSON-encoded (lib/store/keys.ts encodeTitle).
 */
export const SETTLE_SCRIPT = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
-- A model's token logs: the reservation becomes the reply's real tokens (unused ones free at once).
for j = 1, (spec.tokenLogs or 0) do
  local log, weights = KEYS[7 + 2 * j], KEYS[8 + 2 * j]
  local old = tonumber(redis.call("HGET", weights, spec.entry) or "-1")
  if old >= 0 and redis.call("ZSCORE", log, spec.entry) then
    redis.call("HSET", weights, spec.entry, spec.modelTokens)
    redis.call("HINCRBY", weights, "=total", spec.modelTokens - old)
  end
end
-- The provider refused before the first token: the message counts in no log, and the model's breaker holds.
local k = 9 + 2 * (spec.tokenLogs or 0)
for _, weighted in ipairs(spec.uncount or {}) do
  redis.call("ZREM", KEYS[k], spec.entry)
  if weighted == 1 then
    local old = tonumber(redis.call("HGET", KEYS[k + 1], spec.entry) or "0")
    redis.call("HDEL", KEYS[k + 1], spec.entry)
    redis.call("HINCRBY", KEYS[k + 1], "=total", -old)
    k = k + 1
  end
  k = k + 1
end
if spec.busyUntil then
  if spec.busyUntil > now and spec.busyUntil > tonumber(redis.call("GET", KEYS[k]) or "0") then
    redis.call("SET", KEYS[k], spec.busyUntil, "PX", spec.busyUntil - now)
  end
  redis.call("HINCRBY", KEYS[k + 1], "model:" .. spec.busyModel .. ":provider_busy", 1)
  redis.call("EXPIRE", KEYS[k + 1], spec.statsTtl)
end
if spec.leased then
  redis.call("ZREM", KEYS[1], spec.leaseId)
  redis.call("HDEL", KEYS[2], spec.leaseId)
end
if spec.tokens > 0 then
  redis.call("INCRBY", KEYS[3], spec.tokens)
  redis.call("EXPIRE", KEYS[3], 172800)
end
if spec.claim == "unavailable" or redis.call("GET", KEYS[7]) ~= spec.owner then return 0 end
if spec.forgetMessageId then redis.call("SREM", KEYS[8], spec.forgetMessageId) end
if spec.replace and redis.call("LLEN", KEYS[4]) == spec.replace.expectLength then
  if spec.replace.from == 0 then redis.call("DEL", KEYS[4]) else redis.call("LTRIM", KEYS[4], 0, spec.replace.from - 1) end
end
if #ARGV > 2 then
  redis.call("RPUSH", KEYS[4], unpack(ARGV, 3))
  redis.call("ZADD", KEYS[6], now, spec.conversationId)
end
redis.call("HSET", KEYS[5], "updatedAt", now)
-- A generated title never overwrites one the person gave it (a rename while the first reply streamed).
if spec.title and redis.call("HGET", KEYS[5], "title") == spec.defaultTitle then
  redis.call("HSET", KEYS[5], "title", spec.title)
end
if spec.anonymousTtl > 0 then
  for i = 4, 8 do redis.call("EXPIRE", KEYS[i], spec.anonymousTtl) end
end
return 1
`;

/**
 * Today's settled usage, the tokens live replies hold in reserve, and the stored plan; changes nothing.
 * KEYS: 1 leases, 2 reservations, 3 usage, 4 plan. ARGV: 1 now.
 */
export const USAGE_SCRIPT = `
local live = redis.call("ZRANGEBYSCORE", KEYS[1], "(" .. ARGV[1], "+inf")
local reserved = 0
if #live > 0 then
  for _, value in ipairs(redis.call("HMGET", KEYS[2], unpack(live))) do reserved = reserved + (tonumber(value) or 0) end
end
return { tonumber(redis.call("GET", KEYS[3]) or "0"), reserved, redis.call("GET", KEYS[4]) or "" }
`;

/**
 * Refusals answered from an instance's local cache (no I/O at the time), counted afterwards in one call:
 * into the minute's stats, and into each identity's abuse window (which may block it, as the admission does).
 * KEYS: 1 stats (hash), 2 stats top (zset), 3 blocks index, then per identity: abuse counter, block key;
 *       last the audit log.
 * ARGV: 1 now, 2 spec (JSON: statsTtl, topMax, refused = {{scope, limitKey, count}}, abuse? {afterRefusals,
 *       windowMs, blockMs, detail, auditRetentionMs}).
 */
export const COUNT_CACHED_REFUSALS_SCRIPT = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
${AUDIT_AUTOMATIC_BLOCK}
for i, r in ipairs(spec.refused) do
  local scope, key, times = r[1], r[2], r[3]
  redis.call("HINCRBY", KEYS[1], "refused:" .. scope, times)
  redis.call("ZINCRBY", KEYS[2], times, key)
  if spec.abuse then
    local abuseKey, blockKey = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
    local refused = redis.call("INCRBY", abuseKey, times)
    if refused == times then redis.call("PEXPIRE", abuseKey, spec.abuse.windowMs) end
    if refused > spec.abuse.afterRefusals and not redis.call("GET", blockKey) then
      local blockedUntil = now + spec.abuse.blockMs
      redis.call("SET", blockKey, cjson.encode({ ["until"] = blockedUntil, reason = "automatic" }), "PX", spec.abuse.blockMs)
      redis.call("ZREMRANGEBYSCORE", KEYS[3], "-inf", now)
      redis.call("ZADD", KEYS[3], blockedUntil, key)
      auditAutomaticBlock(KEYS[#KEYS], key, key .. ":" .. now)
    end
  end
end
redis.call("EXPIRE", KEYS[1], spec.statsTtl)
redis.call("EXPIRE", KEYS[2], spec.statsTtl)
if redis.call("ZCARD", KEYS[2]) > spec.topMax then redis.call("ZREMRANGEBYRANK", KEYS[2], 0, -spec.topMax - 1) end
return 1
`;
