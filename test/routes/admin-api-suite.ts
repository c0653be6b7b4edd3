// The operator console's API: who may call it, what it accepts, and what it reads (limits, stats, audit).
import { describe, expect, it, vi } from "vitest";
import type { AdminAudit, AdminLimits, AdminStats } from "@/lib/wire/admin";
import {
  ADMIN_ENV,
  ADMIN_TOKEN,
  ADMIN_USER,
  ADMIN_USER_KEY,
  adminCall,
  adminJson,
  operator,
  sessionCaller,
} from "../support/admin";
import { type Caller, sendChat, userKeyOf, userToken } from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

/** One call of every admin endpoint, well formed or not: auth must answer before any of it is read. */
const EVERY_ENDPOINT: [method: string, path: string, body?: unknown][] = [
  ["GET", "/api/admin/limits?key=user:alice"],
  ["GET", "/api/admin/limits?key=not-a-key"],
  ["POST", "/api/admin/limits/reset", { key: "ip:203.0.113.7" }],
  ["POST", "/api/admin/limits/reset", "{not json"],
  ["GET", "/api/admin/blocks"],
  ["POST", "/api/admin/blocks", { key: "user:alice", seconds: 60, reason: "spam" }],
  ["POST", "/api/admin/blocks", { key: "user:alice", seconds: -1 }],
  ["DELETE", "/api/admin/blocks?key=user:alice"],
  ["GET", "/api/admin/stats?minutes=60"],
  ["GET", "/api/admin/stats?minutes=9999"],
  ["GET", "/api/admin/audit"],
  ["GET", "/api/admin/users?name=alice"],
  ["GET", "/api/admin/users?name="],
];

export function defineAdminApiSuite(backend: SuiteBackend): void {
  describe(`operator console API (${backend.name})`, () => {
    const configure = useSuiteApp(backend, ADMIN_ENV);

    it("answers 401 without or with invalid credentials and 403 to a non-admin, before reading any input", async () => {
      const member = await userToken("just-a-member");
      const callers: [string, Caller, number, string][] = [
        ["no credentials", { ip: "198.51.100.1" }, 401, "unauthorized"],
        ["a wrong token", { bearer: `${ADMIN_TOKEN}x` }, 401, "unauthorized"],
        [
          "a malformed Authorization",
          { headers: { authorization: "Basic b3BzOm9wcw==" } },
          401,
          "unauthorized",
        ],
        ["a non-admin's bearer token", { bearer: member }, 403, "forbidden"],
        ["a non-admin's session", sessionCaller(member), 403, "forbidden"],
      ];
      for (const [who, caller, status, error] of callers) {
        for (const [method, path, body] of EVERY_ENDPOINT) {
          const response = await adminCall(method, path, caller, body);
          expect({ who, method, path, status: response.status }).toEqual({ who, method, path, status });
          expect(response.headers.get("content-type")).toContain("application/json");
          const json = await response.json();
          expect(json.error).toBe(error);
          expect(typeof json.message).toBe("string");
          expect(JSON.stringify(json)).not.toMatch(/alice|203\.0\.113/);
        }
      }
      // Nothing was blocked or reset by any of it.
      expect(await adminJson("GET", "/api/admin/blocks")).toEqual({ blocks: [] });
      expect(await adminJson("GET", "/api/admin/audit")).toEqual({ entries: [] });
    });

    it("without ADMIN_TOKEN set no bearer opens it, and an admin user needs ADMIN_USER_IDS", async () => {
      configure({ ADMIN_TOKEN: "", ADMIN_USER_IDS: "" });
      expect((await adminCall("GET", "/api/admin/blocks", operator)).status).toBe(401);
      const wouldBeAdmin = await userToken(ADMIN_USER);
      expect((await adminCall("GET", "/api/admin/blocks", { bearer: wouldBeAdmin })).status).toBe(403);
    });

    it("an admin's session or bearer token works like the admin token, and is named in the audit log", async () => {
      const token = await userToken(ADMIN_USER);
      const viaSession = sessionCaller(token);
      const viaBearer: Caller = { bearer: token };
      expect((await adminCall("GET", "/api/admin/stats", viaSession)).status).toBe(200);
      expect((await adminCall("GET", "/api/admin/stats", viaBearer)).status).toBe(200);
      await adminJson("POST", "/api/admin/limits/reset", { key: "user:carol" }, viaSession);
      await adminJson("POST", "/api/admin/limits/reset", { key: "user:dave" }, operator);
      const { entries } = await adminJson<AdminAudit>("GET", "/api/admin/audit");
      expect(entries.map((e) => [e.actor, e.key])).toEqual([
        ["admin-token", "user:dave"],
        [ADMIN_USER_KEY, "user:carol"],
      ]);
    });

    it("refuses a change another website asks an admin's browser to make (403), counting nothing", async () => {
      const token = await userToken(ADMIN_USER);
      const crossSite = sessionCaller(token, "192.0.2.251", { "sec-fetch-site": "cross-site" });
      const body = { key: "ip:203.0.113.9", seconds: 600, reason: "csrf" };
      const response = await adminCall("POST", "/api/admin/blocks", crossSite, body);
      expect(response.status).toBe(403);
      expect((await response.json()).error).toBe("forbidden");
      const reset = await adminCall("POST", "/api/admin/limits/reset", crossSite, { key: "user:x" });
      expect(reset.status).toBe(403);
      expect(await adminJson("GET", "/api/admin/blocks")).toEqual({ blocks: [] });
      expect(await adminJson("GET", "/api/admin/audit")).toEqual({ entries: [] });
    });

    it("answers bad input with a 400 JSON that names the problem", async () => {
      const cases: [method: string, path: string, body: unknown, mentions: RegExp][] = [
        ["GET", "/api/admin/limits", undefined, /key is required/],
        ["GET", "/api/admin/limits?key=alice", undefined, /user:<id> or ip:<address>/],
        ["GET", "/api/admin/limits?key=user:", undefined, /user key/],
        ["GET", "/api/admin/limits?key=user:a%20b", undefined, /user key/],
        ["GET", "/api/admin/limits?key=ip:999.1.1.1", undefined, /IPv4 or IPv6/],
        ["GET", "/api/admin/limits?key=ip:2001:db8::/48", undefined, /IPv4 or IPv6/],
        ["GET", "/api/admin/limits?key=user:a&key=user:b", undefined, /more than once/],
        ["POST", "/api/admin/limits/reset", "{oops", /not valid JSON/],
        ["POST", "/api/admin/limits/reset", [], /JSON object/],
        ["POST", "/api/admin/limits/reset", { key: 42 }, /key must be a string/],
        ["POST", "/api/admin/limits/reset", { key: `user:${"x".repeat(400)}` }, /longer than 300/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 0, reason: "r" }, /at least 1/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 2_592_001, reason: "r" }, /at most 2592000/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 1.5, reason: "r" }, /whole number/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: "60", reason: "r" }, /must be a number/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 60 }, /reason must be a string/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 60, reason: "   " }, /not be empty/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 60, reason: "x".repeat(201) }, /at most 200/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 60, reason: "a\nb" }, /one line/],
        ["POST", "/api/admin/blocks", { key: "user:a", seconds: 60, reason: "automatic" }, /app's own/],
        ["DELETE", "/api/admin/blocks?key=nobody", undefined, /user:<id> or ip:<address>/],
        ["GET", "/api/admin/stats?minutes=0", undefined, /from 1 to 120/],
        ["GET", "/api/admin/stats?minutes=121", undefined, /from 1 to 120/],
        ["GET", "/api/admin/stats?minutes=ten", undefined, /from 1 to 120/],
        ["GET", "/api/admin/audit?limit=0", undefined, /from 1 to 1000/],
      ];
      for (const [method, path, body, mentions] of cases) {
        const response = await adminCall(method, path, operator, body);
        const json = await response.json();
        expect({ path, body, status: response.status, error: json.error }).toEqual({
          path,
          body,
          status: 400,
          error: "bad_request",
        });
        expect(json.message).toMatch(mentions);
      }
      const notJson = await adminCall("POST", "/api/admin/blocks", {
        ...operator,
        headers: { "content-type": "text/plain" },
      });
      expect(notJson.status).toBe(415);
      expect(await adminJson("GET", "/api/admin/audit")).toEqual({ entries: [] });
    });

    it("looks up a key never seen: 200, every layer with its full room, no block", async () => {
      const askedAt = Date.now();
      const user = await adminJson<AdminLimits>("GET", "/api/admin/limits?key=user:never-seen");
      expect(user).toMatchObject({ key: "user:never-seen", plan: "free", blocked: null });
      expect(user.layers.map((l) => [l.name, l.identifier, l.limit, l.remaining, l.window_seconds])).toEqual([
        ["min", "user:never-seen", 5, 5, 60],
        ["hour", "user:never-seen", 60, 60, 3600],
      ]);
      const ip = await adminJson<AdminLimits>("GET", "/api/admin/limits?key=ip:203.0.113.200");
      expect(ip).toMatchObject({ key: "ip:203.0.113.200", plan: "guest", blocked: null });
      expect(ip.layers.map((l) => [l.name, l.scope, l.identifier, l.remaining])).toEqual([
        ["min", "user", "ip:203.0.113.200", 5],
        ["hour", "user", "ip:203.0.113.200", 60],
        ["ip-min", "ip", "anon:203.0.113.200", 30],
        ["ip-min", "ip", "verified:203.0.113.200", 30],
      ]);
      // Nothing counted, nothing to free: the next message is free at the moment of the lookup.
      const freesAt = Date.parse(ip.layers[0]?.resets_at ?? "");
      expect(freesAt).toBeGreaterThanOrEqual(askedAt);
      expect(freesAt).toBeLessThanOrEqual(Date.now());
      // Addresses are written as the limiter keys them: IPv6 by its /64, IPv4-mapped as IPv4.
      const v6 = await adminJson<AdminLimits>("GET", "/api/admin/limits?key=ip:2001:DB8:1:2:aaaa::1");
      expect(v6.key).toBe("ip:2001:db8:1:2::/64");
      const net = await adminJson<AdminLimits>("GET", "/api/admin/limits?key=ip:2001:db8:1:2::/64");
      expect(net.key).toBe("ip:2001:db8:1:2::/64");
      const mapped = await adminJson<AdminLimits>("GET", "/api/admin/limits?key=ip:::ffff:198.51.100.4");
      expect(mapped.key).toBe("ip:198.51.100.4");
    });

    it("reads a key's limits without spending them, and is not limited by the chat layers itself", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "3", RATE_LIMIT_CHAT_IP_PER_MIN: "3" });
      const caller: Caller = { bearer: await userToken("reader"), ip: "198.51.100.60" };
      expect((await sendChat(caller)).status).toBe(200);
      for (let i = 0; i < 40; i++) {
        const limits = await adminJson<AdminLimits>("GET", `/api/admin/limits?key=${userKeyOf("reader")}`);
        expect(limits.layers.map((l) => l.remaining)).toEqual([2, 59]);
      }
      // Forty reads from one address, and the caller still has exactly the two the lookups reported.
      expect((await sendChat(caller)).status).toBe(200);
      expect((await sendChat(caller)).status).toBe(200);
      expect((await sendChat(caller)).status).toBe(429);
      // The admin's own address and account are untouched by its reads.
      const self = await adminJson<AdminLimits>("GET", `/api/admin/limits?key=ip:${operator.ip}`);
      expect(self.layers.map((l) => l.remaining)).toEqual([3, 60, 3, 3]);
    });

    it("counts what was sent: 7 admitted and 5 refused by the user scope, every minute present", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "7" });
      const caller: Caller = { bearer: await userToken("counted"), ip: "198.51.100.61" };
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await sendChat(caller)).status);
      expect(statuses).toEqual([...Array(7).fill(200), ...Array(5).fill(429)]);
      // The later refusals were answered from this instance's cache: their counts arrive within ~1 s.
      let stats: AdminStats = { minutes: [], top_refused: [], models: [] };
      await vi.waitFor(
        async () => {
          stats = await adminJson<AdminStats>("GET", "/api/admin/stats?minutes=5");
          expect(stats.minutes.at(-1)?.refused.user).toBe(5);
        },
        { timeout: 5_000, interval: 100 },
      );
      const now = stats.minutes.at(-1);
      expect(now).toEqual({
        minute: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
        admitted: 7,
        refused: { user: 5, ip: 0, model: 0, concurrency: 0, credits: 0, blocked: 0 },
        // The one model without CHAT_MODELS: the first 7 were let through; the cached 429s name no model
        // (they are answered before the body says which one), the store's one refusal does.
        models: { default: { admitted: 7, refused: 1, provider_busy: 0 } },
      });
      expect(stats.minutes).toHaveLength(5);
      const starts = stats.minutes.map((m) => Date.parse(m.minute));
      expect(starts.slice(1).map((t, i) => t - (starts[i] ?? 0))).toEqual([60_000, 60_000, 60_000, 60_000]);
      for (const earlier of stats.minutes.slice(0, 4)) {
        expect(earlier).toMatchObject({ admitted: 0, refused: { user: 0, ip: 0, blocked: 0 } });
      }
      expect(stats.top_refused).toEqual([{ key: userKeyOf("counted"), count: 5 }]);
      // Without CHAT_MODELS: the one model, with no capacity to show.
      expect(stats.models).toEqual([{ key: "default", label: expect.any(String), capacity: [] }]);
      const hour = await adminJson<AdminStats>("GET", "/api/admin/stats");
      expect(hour.minutes).toHaveLength(60);
    });

    it("records every change, newest first, and no read", async () => {
      await adminJson("POST", "/api/admin/limits/reset", { key: "ip:203.0.113.50" });
      await adminJson("POST", "/api/admin/blocks", {
        key: "user:eve",
        seconds: 600,
        reason: "  spam waves ",
      });
      await adminJson("DELETE", "/api/admin/blocks?key=user:eve");
      // Not changes: lifting a block that isn't there, and every read.
      expect(await adminJson("DELETE", "/api/admin/blocks?key=user:eve")).toEqual({
        key: "user:eve",
        unblocked: false,
      });
      await adminJson("GET", "/api/admin/limits?key=user:eve");
      await adminJson("GET", "/api/admin/blocks");
      await adminJson("GET", "/api/admin/stats");
      const { entries } = await adminJson<AdminAudit>("GET", "/api/admin/audit");
      expect(entries.map((e) => [e.action, e.key, e.actor])).toEqual([
        ["unblock", "user:eve", "admin-token"],
        ["block", "user:eve", "admin-token"],
        ["reset", "ip:203.0.113.50", "admin-token"],
      ]);
      expect(entries[1]?.detail).toMatch(/^for 600 s, until \d{4}-\d\d-\d\dT.*Z: spam waves$/);
      expect(entries[2]?.detail).toContain("anon:203.0.113.50");
      for (const entry of entries) expect(Math.abs(Date.parse(entry.at) - Date.now())).toBeLessThan(5_000);
      const newest = await adminJson<AdminAudit>("GET", "/api/admin/audit?limit=1");
      expect(newest.entries.map((e) => e.action)).toEqual(["unblock"]);
    });

    it("keeps audit entries by age (30 days), not by count: a burst of 1,001 changes pushes nothing out", async () => {
      configure({ ADMIN_RATE_LIMIT_CHANGES_PER_MIN: "0", ADMIN_RATE_LIMIT_READS_PER_MIN: "0" });
      await adminJson("POST", "/api/admin/blocks", { key: "user:first", seconds: 60, reason: "first" });
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            adminJson("POST", "/api/admin/limits/reset", { key: `user:burst-${batch * 50 + i}` }),
          ),
        );
      }
      const page1 = await adminJson<AdminAudit>("GET", "/api/admin/audit?limit=1000");
      expect(page1.entries).toHaveLength(1000);
      const page2 = await adminJson<AdminAudit>("GET", "/api/admin/audit?limit=1000&offset=1000");
      expect(page2.entries.map((e) => [e.action, e.key])).toEqual([["block", "user:first"]]);

      // 29 days on, all is still there; past 30 days, the next change drops what is older.
      vi.setSystemTime(Date.now() + 29 * 86_400_000);
      await adminJson("POST", "/api/admin/limits/reset", { key: "user:later" });
      expect(
        (await adminJson<AdminAudit>("GET", "/api/admin/audit?limit=1&offset=1001")).entries,
      ).toHaveLength(1);
      vi.setSystemTime(Date.now() + 1.5 * 86_400_000);
      await adminJson("POST", "/api/admin/limits/reset", { key: "user:latest" });
      const kept = await adminJson<AdminAudit>("GET", "/api/admin/audit?limit=1000");
      expect(kept.entries.map((e) => e.key)).toEqual(["user:latest", "user:later"]);
    });

    it("limits each operator's requests per minute (429 with Retry-After), reads and changes apart", async () => {
      configure({ ADMIN_RATE_LIMIT_CHANGES_PER_MIN: "3", ADMIN_RATE_LIMIT_READS_PER_MIN: "5" });
      const reset = (caller: Caller = operator) =>
        adminCall("POST", "/api/admin/limits/reset", caller, { key: "user:target" });
      for (let i = 0; i < 3; i++) expect((await reset()).status).toBe(200);
      const refused = await reset();
      expect(refused.status).toBe(429);
      const body = await refused.json();
      expect(body).toMatchObject({
        error: "rate_limited",
        limit: 3,
        message: expect.stringMatching(/3 a minute/),
      });
      expect(refused.headers.get("retry-after")).toBe(String(body.retry_after_seconds));
      expect(body.retry_after_seconds).toBeGreaterThan(0);
      expect(body.retry_after_seconds).toBeLessThanOrEqual(60);
      // Reads have their own room; another operator has their own.
      for (let i = 0; i < 5; i++)
        expect((await adminCall("GET", "/api/admin/audit", operator)).status).toBe(200);
      expect((await adminCall("GET", "/api/admin/audit", operator)).status).toBe(429);
      const colleague: Caller = { bearer: await userToken(ADMIN_USER), ip: "192.0.2.252" };
      expect((await reset(colleague)).status).toBe(200);
      // The refused change did nothing: three resets by the token, one by the colleague.
      const audit = await adminJson<AdminAudit>("GET", "/api/admin/audit", undefined, colleague);
      expect(audit.entries.map((e) => e.actor)).toEqual([ADMIN_USER_KEY, ...Array(3).fill("admin-token")]);
      // The next minute has room again.
      vi.setSystemTime(Date.now() + 60_000);
      expect((await reset()).status).toBe(200);
    });
  });
}
