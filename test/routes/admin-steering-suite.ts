// What an operator's changes do to the chat: resets admit at once, blocks refuse with 403, repeat offenders block.
import { describe, expect, it, vi } from "vitest";
import type { AdminAudit, AdminBlocks, AdminLimits, AdminStats } from "@/lib/wire/admin";
import { ADMIN_ENV, adminJson } from "../support/admin";
import { type Caller, guestCaller, sendChat, sleep, userKeyOf, userToken } from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

export function defineAdminSteeringSuite(backend: SuiteBackend): void {
  describe(`operator changes reach the chat (${backend.name})`, () => {
    const configure = useSuiteApp(backend, ADMIN_ENV);
    const remaining = async (key: string) =>
      (await adminJson<AdminLimits>("GET", `/api/admin/limits?key=${key}`)).layers.map((l) => l.remaining);

    it("a reset of a user admits their next message at once, on the instance that had cached the refusal", async () => {
      const caller: Caller = { bearer: await userToken("hasty"), ip: "198.51.100.80" };
      for (let i = 0; i < 5; i++) expect((await sendChat(caller)).status).toBe(200);
      // Refused by the store, then from this instance's refusal cache.
      expect((await sendChat(caller)).status).toBe(429);
      expect((await sendChat(caller)).status).toBe(429);
      expect(await remaining(userKeyOf("hasty"))).toEqual([0, 55]);
      const reset = await adminJson("POST", "/api/admin/limits/reset", { key: userKeyOf("hasty") });
      expect(reset).toEqual({ key: userKeyOf("hasty"), cleared: [userKeyOf("hasty")] });
      expect(await remaining(userKeyOf("hasty"))).toEqual([5, 60]);
      expect((await sendChat(caller)).status).toBe(200);
      expect(await remaining(userKeyOf("hasty"))).toEqual([4, 59]);
    });

    it("a reset of an address clears its per-user layers and both of its per-IP buckets", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "10", RATE_LIMIT_CHAT_IP_PER_MIN: "3" });
      const ip = "198.51.100.81";
      const guest = await guestCaller(ip);
      const member: Caller = { bearer: await userToken("behind-nat"), ip };
      for (let i = 0; i < 3; i++) expect((await sendChat(guest)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await sendChat(member)).status).toBe(200);
      const refusedGuest = await sendChat(guest);
      expect(refusedGuest).toMatchObject({ status: 429, body: { scope: "ip", layer: "ip-min" } });
      expect((await sendChat(member)).body).toMatchObject({ scope: "ip" });
      expect(await remaining(`ip:${ip}`)).toEqual([7, 57, 0, 0]);

      const reset = await adminJson("POST", "/api/admin/limits/reset", { key: `ip:${ip}` });
      expect(reset).toEqual({ key: `ip:${ip}`, cleared: [`ip:${ip}`, `anon:${ip}`, `verified:${ip}`] });
      expect(await remaining(`ip:${ip}`)).toEqual([10, 60, 3, 3]);
      expect((await sendChat(guest)).status).toBe(200);
      expect((await sendChat(member)).status).toBe(200);
      // The member's own layers were not the address's: they keep their count.
      expect(await remaining(userKeyOf("behind-nat"))).toEqual([6, 56]);
    });

    it("a block refuses the user's next message with 403, spending nothing; lifting it admits the next", async () => {
      const caller: Caller = { bearer: await userToken("bob"), ip: "198.51.100.82" };
      expect((await sendChat(caller)).status).toBe(200);
      const block = await adminJson("POST", "/api/admin/blocks", {
        key: userKeyOf("bob"),
        seconds: 600,
        reason: "spam",
      });
      const until = new Date(Date.now() + 600_000);
      expect(block).toMatchObject({ key: userKeyOf("bob"), reason: "spam" });
      expect(Math.abs(Date.parse(String(block.until)) - until.getTime())).toBeLessThan(2_000);

      for (let i = 0; i < 3; i++) {
        const refused = await sendChat(caller);
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ error: "blocked", until: block.until, reason: "spam" });
        expect(String(refused.body?.message)).toMatch(/blocked/);
      }
      const looked = await adminJson<AdminLimits>("GET", `/api/admin/limits?key=${userKeyOf("bob")}`);
      expect(looked.blocked).toEqual({ until: block.until, reason: "spam" });
      expect(looked.layers.map((l) => l.remaining)).toEqual([4, 59]);
      expect(await adminJson<AdminBlocks>("GET", "/api/admin/blocks")).toEqual({
        blocks: [{ key: userKeyOf("bob"), until: block.until, reason: "spam" }],
      });
      const stats = await adminJson<AdminStats>("GET", "/api/admin/stats?minutes=1");
      expect(stats.minutes[0]).toMatchObject({ admitted: 1, refused: { blocked: 3, user: 0 } });

      expect(await adminJson("DELETE", `/api/admin/blocks?key=${userKeyOf("bob")}`)).toEqual({
        key: userKeyOf("bob"),
        unblocked: true,
      });
      expect((await sendChat(caller)).status).toBe(200);
      expect(await adminJson<AdminBlocks>("GET", "/api/admin/blocks")).toEqual({ blocks: [] });
    });

    it("a blocked caller whose window is also full keeps getting 403 (never a cached 429), counted as blocked", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "1" });
      const caller: Caller = { bearer: await userToken("both"), ip: "198.51.100.90" };
      expect((await sendChat(caller)).status).toBe(200);
      await adminJson("POST", "/api/admin/blocks", { key: userKeyOf("both"), seconds: 600, reason: "spam" });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await sendChat(caller)).status);
      expect(answers).toEqual([403, 403, 403]);
      const stats = await adminJson<AdminStats>("GET", "/api/admin/stats?minutes=1");
      expect(stats.minutes[0]?.refused).toMatchObject({ blocked: 3, user: 0 });
    });

    it("an address block applies to everyone there, signed in or not, and to no one else", async () => {
      const ip = "198.51.100.83";
      await adminJson("POST", "/api/admin/blocks", { key: `ip:${ip}`, seconds: 60, reason: "botnet" });
      const guest = await sendChat(await guestCaller(ip));
      expect(guest).toMatchObject({ status: 403, body: { error: "blocked", reason: "botnet" } });
      const member = await sendChat({ bearer: await userToken("carol"), ip });
      expect(member).toMatchObject({ status: 403, body: { error: "blocked" } });
      expect((await sendChat(await guestCaller("198.51.100.84"))).status).toBe(200);
      expect((await sendChat({ bearer: await userToken("carol"), ip: "198.51.100.84" })).status).toBe(200);
      // A longer block replaces a shorter one, and a shorter one a longer: the operator's latest word counts.
      const longer = await adminJson("POST", "/api/admin/blocks", {
        key: `ip:${ip}`,
        seconds: 7200,
        reason: "x",
      });
      const blocks = await adminJson<AdminBlocks>("GET", "/api/admin/blocks");
      expect(blocks.blocks).toEqual([{ key: `ip:${ip}`, until: longer.until, reason: "x" }]);
    });

    it("blocks a repeat offender after N refusals (the crossing one still a 429) until ABUSE_BLOCK_SECONDS pass", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "1", ABUSE_BLOCK_AFTER_REFUSALS: "3", ABUSE_BLOCK_SECONDS: "2" });
      const caller: Caller = { bearer: await userToken("persistent"), ip: "198.51.100.85" };
      const answers: Awaited<ReturnType<typeof sendChat>>[] = [];
      for (let i = 0; i < 6; i++) {
        // Past this instance's refusal cache (1 s), so each message reaches the store's admission step.
        if (i > 0) vi.setSystemTime(Date.now() + 1_100);
        answers.push(await sendChat(caller));
      }
      expect(answers.map((a) => a.status)).toEqual([200, 429, 429, 429, 429, 403]);
      const blocked = answers.at(-1)?.body;
      expect(blocked).toMatchObject({ error: "blocked", reason: "automatic" });
      expect(String(blocked?.message)).toMatch(/too many refused messages/);
      const { blocks } = await adminJson<AdminBlocks>("GET", "/api/admin/blocks");
      expect(blocks).toEqual([{ key: userKeyOf("persistent"), until: blocked?.until, reason: "automatic" }]);
      // The app's own change is audited like an operator's, with its actor.
      const { entries } = await adminJson<AdminAudit>("GET", "/api/admin/audit");
      expect(entries).toEqual([
        {
          at: expect.any(String),
          actor: "automatic",
          action: "block",
          key: userKeyOf("persistent"),
          detail: "for 2 s: more than 3 refused messages within 600 s",
        },
      ]);

      // Real time passes (Redis expires the block by itself as well), then the next minute has room again.
      await sleep(2_000);
      expect(await adminJson<AdminBlocks>("GET", "/api/admin/blocks")).toEqual({ blocks: [] });
      vi.setSystemTime(Date.now() + 60_000);
      expect((await sendChat(caller)).status).toBe(200);
    });

    it("unblocking a key that has no block changes nothing: its refusals still count towards the automatic block", async () => {
      configure({
        RATE_LIMIT_CHAT_PER_MIN: "1",
        ABUSE_BLOCK_AFTER_REFUSALS: "3",
        ABUSE_BLOCK_SECONDS: "600",
      });
      const caller: Caller = { bearer: await userToken("noop"), ip: "198.51.100.88" };
      const send = async () => {
        vi.setSystemTime(Date.now() + 1_100);
        return (await sendChat(caller)).status;
      };
      expect([await send(), await send(), await send(), await send()]).toEqual([200, 429, 429, 429]);
      expect(await adminJson("DELETE", `/api/admin/blocks?key=${userKeyOf("noop")}`)).toEqual({
        key: userKeyOf("noop"),
        unblocked: false,
      });
      expect(await adminJson("GET", "/api/admin/audit")).toEqual({ entries: [] });
      // The fourth refusal crosses the threshold, as it would have without the no-op.
      expect([await send(), await send()]).toEqual([429, 403]);
    });

    it("an automatic block of an anonymous address refuses its guests, never the signed-in users behind it", async () => {
      configure({
        RATE_LIMIT_CHAT_PER_MIN: "1",
        ABUSE_BLOCK_AFTER_REFUSALS: "3",
        ABUSE_BLOCK_SECONDS: "600",
      });
      const ip = "198.51.100.87";
      const guest = await guestCaller(ip);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        if (i > 0) vi.setSystemTime(Date.now() + 1_100);
        statuses.push((await sendChat(guest)).status);
      }
      expect(statuses).toEqual([200, 429, 429, 429, 429, 403]);
      const { blocks } = await adminJson<AdminBlocks>("GET", "/api/admin/blocks");
      expect(blocks).toMatchObject([{ key: `ip:${ip}`, reason: "automatic" }]);
      // Another guest session from the address is the same anonymous identity: still blocked.
      expect((await sendChat(await guestCaller(ip))).body).toMatchObject({ error: "blocked" });
      // A signed-in colleague behind the same NAT is judged by their own key.
      const member: Caller = { bearer: await userToken("colleague"), ip };
      for (let i = 0; i < 2; i++) vi.setSystemTime(Date.now() + 1_100);
      expect((await sendChat(member)).status).toBe(200);
      expect(await remaining(userKeyOf("colleague"))).toEqual([0, 59]);
    });

    it("refusals answered from an instance's cache count towards the automatic block too", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "1", ABUSE_BLOCK_AFTER_REFUSALS: "3", ABUSE_BLOCK_SECONDS: "60" });
      const caller: Caller = { bearer: await userToken("flooder"), ip: "198.51.100.86" };
      expect((await sendChat(caller)).status).toBe(200);
      // One refusal from the store, the rest from the cache within its second: all 429.
      for (let i = 0; i < 6; i++) expect((await sendChat(caller)).status).toBe(429);
      await vi.waitFor(
        async () => {
          const { blocks } = await adminJson<AdminBlocks>("GET", "/api/admin/blocks");
          expect(blocks).toMatchObject([{ key: userKeyOf("flooder"), reason: "automatic" }]);
        },
        { timeout: 5_000, interval: 100 },
      );
      vi.setSystemTime(Date.now() + 1_100);
      expect((await sendChat(caller)).body).toMatchObject({ error: "blocked", reason: "automatic" });
      // The operator lifts it: the next message in a fresh minute is admitted.
      await adminJson("DELETE", `/api/admin/blocks?key=${userKeyOf("flooder")}`);
      const { entries } = await adminJson<AdminAudit>("GET", "/api/admin/audit");
      expect(entries.map((e) => [e.action, e.actor, e.key])).toEqual([
        ["unblock", "admin-token", userKeyOf("flooder")],
        ["block", "automatic", userKeyOf("flooder")],
      ]);
      vi.setSystemTime(Date.now() + 60_000);
      expect((await sendChat(caller)).status).toBe(200);
    });
  });
}
