// Appending to the audit log inside a Redis script: shared by the admin store and the admission scripts.

/**
 * Lua: `appendAudit(key, at, entry, retentionMs)` adds the JSON `entry` made at `at` (epoch ms) to the sorted
 * set and drops entries older than the retention. Scores are `at * 1000`, raised past the newest score when
 * needed, so entries made in the same millisecond still read back in the order they were made (a tie would
 * be ordered by the member's text). Scores are written with %.0f: Lua's own number formatting rounds them.
 */
export const AUDIT_APPEND_LUA = `
local function appendAudit(auditKey, at, entry, retentionMs)
  local score = at * 1000
  local newest = redis.call("ZRANGE", auditKey, -1, -1, "WITHSCORES")
  if newest[2] and tonumber(newest[2]) >= score then score = tonumber(newest[2]) + 1 end
  redis.call("ZADD", auditKey, string.format("%.0f", score), entry)
  redis.call("ZREMRANGEBYSCORE", auditKey, "-inf", "(" .. string.format("%.0f", (at - retentionMs) * 1000))
end
`;
