// The admission and settle steps as Redis Lua scripts: each one round trip, atomic across every instance.

/**
 * Why one script and not @upstash/ratelimit's `limit()` per layer: each `limit()` commits on its own, so a
 * request refused by one layer was already counted by the others and had to be refunded afterwards — racy
 * (parallel requests saw the inflated counts, refunds landed in the next window) and a second round trip.
 * Here every check runs first and the request takes all or nothing: a refusal leaves no trace. The window
 * counters keep @upstash/ratelimit's fixedWindow layout (`<prefix>:<identifier>:<bucket>`, INCR + PEXPIRE),
 * so the library's own `getRemaining` reads them. lib/admission/memory.ts is the same logic in memory;
 * lib/admission/backend-contract.ts runs the same cases against both.
 *
 * KEYS: 1 plan, 2..n+1 one window counter per layer check (n = #spec.layers), then n+2 leases (zset),
 *       n+3 reservations (hash), n+4 usage, n+5 conversation owner, n+6 meta, n+7 messages, n+8 message ids,
 *       n+9 stats (hash), n+10 stats top (zset), n+11 abuse counter, n+12 blocks index, n+13.. block keys.
 * ARGV: 1 now (epoch ms), 2 spec (JSON, see RedisAdmissionBackend.admit).
 * Returns JSON: { ok, plan, layers = {{index, limit, used, reset}}, refusals, claim, history, length,
 *                 reserved, maxOutput, usedTokens, leased }.
 * With spec.peek the script only reads: plan and layers (KEYS 1..n+1), for GET /api/limits.
 */
const PLAN_AND_LAYERS = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
local n = #spec.layers
local LEASES, RESERVED, USAGE, OWNER, META, MSGS, MSGIDS = n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8
local STATS, TOP, ABUSE, BLOCKS = n + 9, n + 10, n + 11, n + 12

local plan = spec.defaultPlan
if spec.readsPlan then
  local stored = redis.call("GET", KEYS[1])
  if stored and spec.plans[stored] then plan = stored end
end
local limits = spec.plans[plan]
local refusals = {}

local layers = {}
for i, layer in ipairs(spec.layers) do
  local limit = layer.fixedLimit or limits[layer.planField] or 0
  if limit > 0 then
    local used = tonumber(redis.call("GET", KEYS[1 + i]) or "0")
    local reset = (math.floor(now / layer.windowMs) + 1) * layer.windowMs
    layers[#layers + 1] = { i, limit, used, reset }
    if used + 1 > limit then refusals[#refusals + 1] = { "rate", #layers } end
  end
end
if spec.peek then return cjson.encode({ ok = 0, plan = plan, layers = layers, usedTokens = 0 }) end
`;

/** An operator's block, or the automatic one, of any of the caller's targets (`user:<id>`, `ip:<addr>`). */
const BLOCKS_CHECK = `
local blocked = nil
for i = 1, #spec.blockTargets do
  local raw = redis.call("GET", KEYS[BLOCKS + i])
  if raw then
    local block = cjson.decode(raw)
    if block["until"] > now and (not blocked or block["until"] > blocked["until"]) then blocked = block end
  end
end
if blocked then refusals[#refusals + 1] = { "blocked", blocked["until"], blocked.reason } end
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
if budget > 0 then
  local held = 0
  for _, value in ipairs(redis.call("HVALS", KEYS[RESERVED])) do held = held + tonumber(value) end
  local prompt = math.ceil((historyBytes + spec.messageBytes + spec.systemBytes) / spec.bytesPerToken)
  local allowance = math.min(spec.maxOutput, budget - usedTokens - held - prompt)
  if allowance < spec.minReply then
    local fresh = math.ceil((spec.messageBytes + spec.systemBytes) / spec.bytesPerToken)
    local freshFits = math.min(spec.maxOutput, budget - usedTokens - held - fresh) >= spec.minReply
    refusals[#refusals + 1] = { "credits", usedTokens, held, budget, prompt - fresh, freshFits and 1 or 0 }
  else
    reserved, maxOutput = prompt + allowance, allowance
  end
end
`;

/** Per-minute counts for the operator's console, and repeat offenders blocked automatically (spec.abuse). */
const STATS_AND_ABUSE = `
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
  if not spec.abuse or scope == "blocked" or scope == "credits" then return end
  local refused = redis.call("INCR", KEYS[ABUSE])
  if refused == 1 then redis.call("PEXPIRE", KEYS[ABUSE], spec.abuse.windowMs) end
  if refused > spec.abuse.afterRefusals then
    local blockedUntil = now + spec.abuse.blockMs
    local block = cjson.encode({ ["until"] = blockedUntil, reason = "automatic" })
    redis.call("SET", KEYS[BLOCKS + 1], block, "PX", spec.abuse.blockMs)
    redis.call("ZREMRANGEBYSCORE", KEYS[BLOCKS], "-inf", now) -- the index never outgrows the live blocks
    redis.call("ZADD", KEYS[BLOCKS], blockedUntil, spec.blockTargets[1])
  end
end
`;

const COMMIT = `
if #refusals > 0 then
  countRefusal()
  return cjson.encode({ ok = 0, plan = plan, layers = layers, refusals = refusals, usedTokens = usedTokens })
end

for _, state in ipairs(layers) do
  local key = KEYS[1 + state[1]]
  local count = redis.call("INCR", key)
  if count == 1 then redis.call("PEXPIRE", key, spec.layers[state[1]].windowMs) end
  state[3] = count
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
return cjson.encode({ ok = 1, plan = plan, layers = layers, claim = claim, history = history, length = length,
  reserved = reserved, maxOutput = maxOutput, usedTokens = usedTokens, leased = leased })
`;

export const ADMIT_SCRIPT = [
  PLAN_AND_LAYERS,
  BLOCKS_CHECK,
  LEASES_AND_CONVERSATION,
  CREDITS,
  STATS_AND_ABUSE,
  COMMIT,
].join("");

/**
 * After a reply: release its lease, bill its tokens, append the exchange (replacing the last turn for
 * regenerate and edit) and set the title — one round trip. A conversation deleted meanwhile is not brought back.
 *
 * KEYS: 1 leases, 2 reservations, 3 usage, 4 messages, 5 meta, 6 owner index, 7 conversation owner, 8 message ids.
 * ARGV: 1 now, 2 spec (JSON: leaseId, leased, tokens, owner, conversationId, claim, title?, defaultTitle,
 *       forgetMessageId?, replace? {from, expectLength}, anonymousTtl), 3.. the messages to append (JSON each).
 *       Titles come JSON-encoded (lib/store/keys.ts encodeTitle).
 */
export const SETTLE_SCRIPT = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
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
 * KEYS: 1 stats (hash), 2 stats top (zset), 3 blocks index, then per identity: abuse counter, block key.
 * ARGV: 1 now, 2 spec (JSON: statsTtl, topMax, refused = {{scope, limitKey, count}}, abuse? {afterRefusals,
 *       windowMs, blockMs}).
 */
export const COUNT_CACHED_REFUSALS_SCRIPT = `
local now = tonumber(ARGV[1])
local spec = cjson.decode(ARGV[2])
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
    end
  end
end
redis.call("EXPIRE", KEYS[1], spec.statsTtl)
redis.call("EXPIRE", KEYS[2], spec.statsTtl)
if redis.call("ZCARD", KEYS[2]) > spec.topMax then redis.call("ZREMRANGEBYRANK", KEYS[2], 0, -spec.topMax - 1) end
return 1
`;
