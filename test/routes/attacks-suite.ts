// What an attacker tries against the chat route's limits: timing, parallel spending, other people's data.
import { describe, expect, it, vi } from "vitest";
import { POST as chatPost } from "@/app/api/chat/message/route";
import { DELETE as conversationDelete } from "@/app/api/conversations/[id]/route";
import { GET as conversationsGet } from "@/app/api/conversations/route";
import { GET as usageGet } from "@/app/api/usage/route";
import { services } from "@/lib/services";
import {
  type Caller,
  getConversation,
  guestCookieSet,
  idParams,
  newId,
  postChat,
  requestFor,
  sendChat,
  streamedText,
  userKeyOf,
  userToken,
} from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

const HOUR = 3_600_000;

export function defineAttacksSuite(backend: SuiteBackend): void {
  describe(`attacks on the limits (${backend.name})`, () => {
    const configure = useSuiteApp(backend);

    const send = (caller: Caller, id: string, text?: string, messageId?: string) =>
      postChat(caller, id, text, { messageId });
    /** Sends, reads the answer to its end, and gives its status. */
    const sendForStatus = async (caller: Caller, id: string, text?: string, messageId?: string) =>
      (await sendChat(caller, id, text, { messageId })).status;

    it("a burst from one identity admits exactly the limit, and the refusals spend nothing of the hour", async () => {
      const caller = { bearer: await userToken(`burst-${newId()}`) };
      const statuses = await Promise.all(Array.from({ length: 100 }, () => sendForStatus(caller, newId())));
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      const last = await send(caller, newId());
      const body = await last.json();
      // Refused by the minute, told a minute's wait — never the hour's.
      expect(body).toMatchObject({ scope: "user", layer: "min" });
      expect(body.retry_after_seconds).toBeLessThanOrEqual(60);
      // The next minute has its 5 again: the 95 refusals left the hour layer at 5 of 60.
      vi.setSystemTime(Date.now() + 60_000);
      const next = await Promise.all(Array.from({ length: 5 }, () => sendForStatus(caller, newId())));
      expect(next).toEqual([200, 200, 200, 200, 200]);
    });

    it("a refusal while the clock crosses an hour takes nothing from any log", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "1", RATE_LIMIT_CHAT_PER_HOUR: "2" });
      const caller = { bearer: await userToken(`edge-${newId()}`) };
      const hourEnd = (Math.floor(Date.now() / HOUR) + 1) * HOUR;
      vi.setSystemTime(hourEnd - 30_000);
      expect(await sendForStatus(caller, newId())).toBe(200);
      // Refused by the minute in the hour's last moments, and the clock crosses into the next hour while
      // the store answers (a store round trip is when it can happen): nothing may land in the new hour.
      vi.setSystemTime(hourEnd - 2_000);
      const realFetch = globalThis.fetch;
      vi.stubGlobal("fetch", async (...args: Parameters<typeof fetch>) => {
        const response = await realFetch(...args);
        vi.setSystemTime(Math.max(Date.now(), hourEnd + 5));
        return response;
      });
      try {
        expect(await sendForStatus(caller, newId())).toBe(429);
      } finally {
        vi.unstubAllGlobals();
      }
      // Only the first message is counted: the minute frees a minute after it, and the hour then holds 2.
      // The clock runs on while a request is served, so the probes keep seconds clear of every window's edge:
      // +45 s is past the first message's minute and inside the refused one's; +120 s is past the second's.
      vi.setSystemTime(hourEnd + 45_000);
      expect(await sendForStatus(caller, newId())).toBe(200);
      vi.setSystemTime(hourEnd + 120_000);
      const refused = await postChat(caller, newId());
      expect(refused.status).toBe(429);
      // Full until the first message, sent at hourEnd - 30 s, is an hour old: a clock edge frees nothing.
      const body = await refused.json();
      expect(body.layer).toBe("hour");
      const freesAt = Date.parse(body.resets_at);
      expect(freesAt).toBeGreaterThanOrEqual(hourEnd - 30_000 + HOUR);
      expect(freesAt).toBeLessThan(hourEnd - 2_000 + HOUR); // before the refused one's time: it was not counted
    });

    it("refusals by the concurrency cap count against no layer", async () => {
      configure({ CHAT_MAX_CONCURRENT_STREAMS: "2", OFFLINE_MODEL_DELAY_MS: "30" });
      const caller = { bearer: await userToken(`streams-${newId()}`) };
      const running = [await send(caller, newId()), await send(caller, newId())];
      expect(running.map((r) => r.status)).toEqual([200, 200]);
      for (let i = 0; i < 3; i++) {
        const refused = await send(caller, newId());
        expect(refused.status).toBe(429);
        expect(await refused.json()).toMatchObject({ scope: "concurrency" });
      }
      await Promise.all(running.map((r) => streamedText(r)));
      // 2 of the minute's 5 were used: 3 more are admitted, as the concurrency 429s promised.
      for (let i = 0; i < 3; i++) expect(await sendForStatus(caller, newId())).toBe(200);
      const refused = await send(caller, newId());
      expect(await refused.json()).toMatchObject({ scope: "user", layer: "min" });
    });

    it("another website's requests are refused before they count: the visitor keeps their messages", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "2" });
      const ip = "198.51.100.70";
      const foreign: Record<string, string>[] = [
        { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
        { "sec-fetch-site": "same-site" },
        { origin: "https://evil.example" },
      ];
      for (const headers of foreign) {
        for (let i = 0; i < 3; i++) {
          const response = await chatPost(
            requestFor("/api/chat/message", { ip, headers }, { body: "x", contentType: "text/plain" }),
          );
          expect(response.status).toBe(403);
          expect((await response.json()).error).toBe("forbidden");
        }
      }
      for (let i = 0; i < 3; i++) {
        const notJson = await chatPost(
          requestFor("/api/chat/message", { ip }, { body: "x", contentType: "text/plain" }),
        );
        expect(notJson.status).toBe(415);
      }
      const sameSite = { ip, headers: { "sec-fetch-site": "same-origin", origin: "http://localhost" } };
      expect(await sendForStatus(sameSite, newId())).toBe(200);
      expect(await sendForStatus({ ip }, newId())).toBe(200);
    });

    it("conversations are never owned by an address: a cookieless neighbour sees and changes nothing", async () => {
      configure({ TRUSTED_PROXY_HOPS: "0" }); // everyone shares the `unknown` address
      const aliceId = newId("a");
      const first = await send({}, aliceId, "A's private question about my diagnosis");
      expect(first.status).toBe(200);
      const cookie = guestCookieSet(first);
      expect(cookie).toBeTruthy();
      await streamedText(first);
      const alice: Caller = { guest: cookie };
      const stranger: Caller = {};
      expect((await conversationsGet(requestFor("/api/conversations", stranger))).status).toBe(401);
      expect((await getConversation(stranger, aliceId)).status).toBe(401);
      const del = requestFor(`/api/conversations/${aliceId}`, stranger, { method: "DELETE" });
      expect((await conversationDelete(del, idParams(aliceId))).status).toBe(401);
      // Posting into it: a new guest session, not Alice's: the id is taken.
      expect((await send(stranger, aliceId, "let me in")).status).toBe(404);
      const own = await getConversation(alice, aliceId);
      expect(own.status).toBe(200);
      expect(JSON.stringify(own.body)).toContain("private question");
      const list = await (await conversationsGet(requestFor("/api/conversations", alice))).json();
      expect(list.conversations.map((c: { id: string }) => c.id)).toEqual([aliceId]);
    });

    it("parallel messages can never spend more than the day's budget", async () => {
      configure({
        CHAT_DAILY_TOKEN_BUDGET: "3000",
        RATE_LIMIT_CHAT_PER_MIN: "100",
        CHAT_MAX_CONCURRENT_STREAMS: "0",
      });
      const spender = `spender-${newId()}`;
      const caller = { bearer: await userToken(spender) };
      const long = "word ".repeat(1_500); // 7,500 characters
      const statuses = await Promise.all(
        Array.from({ length: 5 }, () => sendForStatus(caller, newId(), long)),
      );
      expect(statuses).toContain(200);
      expect(statuses).toContain(402);
      // Into one conversation with a long history, in parallel: each reservation counts that history.
      const id = newId();
      expect(await sendForStatus(caller, id, "start")).not.toBe(500);
      await Promise.all(Array.from({ length: 4 }, () => sendForStatus(caller, id, long)));
      // What was really billed (GET /api/usage never shows more than the budget, so read the store).
      const billed = await services().admission.primary.usageOf(userKeyOf(spender), Date.now());
      expect(billed.used).toBeGreaterThan(0);
      expect(billed.used).toBeLessThanOrEqual(3000);
      expect((await (await usageGet(requestFor("/api/usage", caller))).json()).budget).toBe(3000);
      // A single message whose prompt alone can't be paid is refused before the model is called.
      const euros = "€".repeat(7_900); // 23,700 bytes: more tokens than the whole budget
      expect((await send({ bearer: await userToken(`big-${newId()}`) }, newId(), euros)).status).toBe(402);
    });

    it("a retried send with the same message id is not stored twice and costs nothing", async () => {
      const caller = { bearer: await userToken(`retry-${newId()}`) };
      const id = newId();
      const messageId = newId("m");
      expect(await sendForStatus(caller, id, "only once", messageId)).toBe(200);
      const again = await send(caller, id, "only once", messageId);
      expect(again.status).toBe(409);
      expect((await again.json()).error).toBe("conflict");
      const { body: stored } = await getConversation(caller, id);
      expect(stored.messages.filter((m: { role: string }) => m.role === "user")).toHaveLength(1);
      // The 409 took nothing: 4 of the minute's 5 remain.
      for (let i = 0; i < 4; i++) expect(await sendForStatus(caller, newId())).toBe(200);
    });

    it("a blocked identity gets its own 403 at once, spending nothing; the block counts in the stats", async () => {
      const ip = "198.51.100.81";
      const caller = { bearer: await userToken(`blocked-${newId()}`), ip };
      expect(await sendForStatus(caller, newId())).toBe(200);
      await services().operator.setBlock(
        { target: `ip:${ip}`, until: Date.now() + 60_000, reason: "spam" },
        Date.now(),
      );
      for (let i = 0; i < 3; i++) {
        const refused = await send(caller, newId());
        expect(refused.status).toBe(403);
        const body = await refused.json();
        expect(body).toMatchObject({ error: "blocked", reason: "spam" });
        expect(new Date(body.until).getTime()).toBeGreaterThan(Date.now());
      }
      expect(await services().operator.clearBlock(`ip:${ip}`, Date.now())).not.toBeNull();
      // The 403s spent nothing: 4 of the minute's 5 remain.
      for (let i = 0; i < 4; i++) expect(await sendForStatus(caller, newId())).toBe(200);
      const minute = Math.floor(Date.now() / 60_000);
      const [counts] = await services().operator.minutes(minute, minute);
      expect(counts?.counts).toMatchObject({ admitted: 5, "refused:blocked": 3 });
    });

    it("stats count what was sent, including refusals answered from the local cache", async () => {
      const caller = { ip: "198.51.100.82" };
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push(await sendForStatus(caller, newId()));
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      const minute = Math.floor(Date.now() / 60_000);
      // Refusals from the cache are counted within a second or so, batched.
      await vi.waitFor(
        async () => {
          const [counts] = await services().operator.minutes(minute, minute);
          // The store's one refusal names the model it was for; the cached ones come before the body names one.
          expect(counts?.counts).toEqual({
            admitted: 5,
            "refused:user": 7,
            "model:default:admitted": 5,
            "model:default:refused": 1,
          });
          expect(counts?.top["ip:198.51.100.82"]).toBe(7);
        },
        { timeout: 5_000, interval: 100 },
      );
    });

    it("a 429 answered from the local cache lists every layer in RateLimit-Policy", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "1" });
      const caller = { ip: "198.51.100.80" };
      expect(await sendForStatus(caller, newId())).toBe(200);
      const fromStore = await send(caller, newId());
      const fromCache = await send(caller, newId());
      for (const response of [fromStore, fromCache]) {
        expect(response.status).toBe(429);
        expect(response.headers.get("ratelimit-policy")).toBe(
          '"min";q=1;w=60, "hour";q=60;w=3600, "ip-min";q=30;w=60',
        );
        expect(response.headers.get("ratelimit")).toMatch(/^"min";r=0;t=\d+$/);
      }
    });
  });
}
