// Two `next start` instances share one Redis: an operator's change on one holds on the other at its next request.
import { REFUSAL_CACHE_MAX_AGE_MS } from "../lib/ratelimit/refusal-cache";
import type { AppServer } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApps } from "../test/support/e2e";

const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdefghijklmnop";

test.describe("operator changes across instances", () => {
  const shared = withRedisBackedApps(2, { ADMIN_TOKEN, RATE_LIMIT_CHAT_PER_MIN: "2" });
  const one = () => shared.apps[0] as AppServer;
  const two = () => shared.apps[1] as AppServer;

  const operator = (app: AppServer, method: string, path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const chatStatus = async (app: AppServer, ip: string) => {
    const response = await postChat(app, ip);
    await response.arrayBuffer();
    return response.status;
  };

  test("a block set on one instance refuses the very next request on the other; lifting it admits the next", async () => {
    const ip = "198.51.100.170";
    expect(await chatStatus(two(), ip)).toBe(200);
    const block = await operator(one(), "POST", "/api/admin/blocks", {
      key: `ip:${ip}`,
      seconds: 600,
      reason: "e2e",
    });
    expect(block.status).toBe(200);
    const refused = await postChat(two(), ip);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "blocked", reason: "e2e" });

    expect((await operator(one(), "DELETE", `/api/admin/blocks?key=ip:${ip}`)).status).toBe(200);
    expect(await chatStatus(two(), ip)).toBe(200);
    // Both changes are in the shared audit log, read from the other instance.
    const audit = await (await operator(two(), "GET", "/api/admin/audit")).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(["unblock", "block"]);
  });

  test("a reset on one instance reaches the other's refusal cache within a second", async () => {
    const ip = "198.51.100.171";
    expect([await chatStatus(two(), ip), await chatStatus(two(), ip), await chatStatus(two(), ip)]).toEqual([
      200, 200, 429,
    ]);
    // Instance two answers this address from its cache now; the reset is made on instance one.
    expect(await chatStatus(two(), ip)).toBe(429);
    expect((await operator(one(), "POST", "/api/admin/limits/reset", { key: `ip:${ip}` })).status).toBe(200);
    const resetDone = Date.now();
    // The cache trusts an entry for at most 1 s (and this one was written before the reset), so a request sent
    // a second after the reset is decided by Redis, which the reset cleared. Timed from the send, not the
    // answer: on a loaded machine the request itself may take longer than the cache's second.
    await new Promise((resolve) =>
      setTimeout(resolve, resetDone + REFUSAL_CACHE_MAX_AGE_MS + 50 - Date.now()),
    );
    expect(await chatStatus(two(), ip)).toBe(200);

    // Instance two's refusals (those from its cache arrive batched within ~1 s) are in the stats instance one reads.
    const refusedCount = async () => {
      const stats = await (await operator(one(), "GET", "/api/admin/stats?minutes=2")).json();
      return stats.top_refused.find((t: { key: string }) => t.key === `ip:${ip}`)?.count ?? 0;
    };
    await expect.poll(refusedCount, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  });
});
