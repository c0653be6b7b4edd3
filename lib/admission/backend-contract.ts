// The admission contract both backends must keep, as one vitest suite run on memory and on real Redis.
import { describe, expect, it } from "vitest";
import { newId } from "@/test/support/chat-body";
import type { OperatorStore } from "../admin/types";
import { type ChatLayers, checksFor } from "../ratelimit/layers";
import type { ChatMessage } from "../store/types";
import { LEASE_MS, MIN_REPLY_TOKENS, statsMinute } from "./budget";
import type { AdmissionBackend, AdmissionRequest, AdmissionResult, PlanLimits, Settlement } from "./types";

export interface ContractHarness {
  backend: () => AdmissionBackend;
  /** Gives a signed-in user a stored plan, as the billing webhook does. */
  setPlan: (limitKey: string, plan: string) => Promise<void>;
  /** Deletes a conversation the way the route does. */
  deleteConversation: (owner: string, id: string) => Promise<boolean>;
  readConversation: (owner: string, id: string) => Promise<{ title: string; messages: ChatMessage[] } | null>;
  /** The operator's side of the same store (blocks, stats). */
  operator: () => OperatorStore;
}

const layers: ChatLayers = {
  userMinute: { name: "min", scope: "user", windowSeconds: 60, planField: "perMinute" },
  userHour: { name: "hour", scope: "user", windowSeconds: 3600, planField: "perHour" },
  ipMinute: { name: "ip-min", scope: "ip", windowSeconds: 60, fixedLimit: 30 },
};
const FREE: PlanLimits = { perMinute: 3, perHour: 10, concurrentStreams: 0, dailyTokens: 0 };
// Mid-window, so a test's few milliseconds never cross a boundary; each test moves it explicitly.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_000;

function message(text: string, role: "user" | "assistant" = "user"): ChatMessage {
  return { id: newId("m"), role, parts: [{ type: "text", text }] };
}

let addresses = 0;
function request(over: Partial<AdmissionRequest> & { user?: string; ip?: string } = {}) {
  const { user = newId("u"), ip, ...rest } = over;
  addresses += 1;
  const limitKey = `user:${user}`;
  const clientIp = ip ?? `10.${addresses >> 8}.${addresses & 255}.1`;
  return {
    now: T0,
    limitKey,
    checks: checksFor(layers, { limitKey, verified: true, clientIp }),
    plans: { free: FREE },
    defaultPlan: "free",
    readsStoredPlan: true,
    models: [{ key: "default", plans: null }],
    model: null,
    owner: limitKey,
    conversationId: newId("c"),
    intent: "send",
    messageId: newId("m"),
    messageBytes: 100,
    blockTargets: [limitKey, `ip:${clientIp}`],
    abuse: null,
    leaseId: newId("lease"),
    maxOutputTokens: 1_000,
    ...rest,
  } satisfies AdmissionRequest;
}

const admitted = (r: AdmissionResult) => {
  if (!r.admitted) throw new Error(`refused: ${JSON.stringify(r.refusals)}`);
  return r;
};

function settlement(
  req: AdmissionRequest,
  result: AdmissionResult,
  extra: Partial<Settlement> = {},
): Settlement {
  const ok = admitted(result);
  return {
    limitKey: req.limitKey,
    leaseId: req.leaseId,
    leased: ok.grant.leased,
    day: ok.grant.day,
    tokens: 0,
    owner: req.owner,
    conversationId: req.conversationId,
    claim: ok.claim,
    messages: [],
    ...extra,
  };
}

export function defineAdmissionContract(name: string, h: ContractHarness): void {
  describe(`admission contract (${name})`, () => {
    it("admits up to the per-minute limit and refuses the next until its oldest message leaves the minute", async () => {
      const base = request();
      const send = (now: number) =>
        h.backend().admit({ ...base, now, conversationId: newId(), messageId: newId(), leaseId: newId() });
      for (let i = 0; i < 3; i++) {
        const result = admitted(await send(T0 + i * 10_000));
        // Each layer frees its next message when its oldest leaves: the first one's, a minute after it.
        expect(result.layers[0]).toMatchObject({ remaining: 2 - i, resetAt: T0 + 60_000 });
      }
      const refused = await send(T0 + 30_000);
      expect(refused.admitted).toBe(false);
      if (refused.admitted) return;
      expect(refused.refusals).toHaveLength(1);
      const [rate] = refused.refusals;
      expect(rate).toMatchObject({ reason: "rate", state: { limit: 3, remaining: 0, resetAt: T0 + 60_000 } });
      if (rate?.reason === "rate") expect(rate.state.layer.name).toBe("min");
      expect((await send(T0 + 59_999)).admitted).toBe(false);
      // The first leaves; the second (T0 + 10 s) is now the oldest.
      expect(admitted(await send(T0 + 60_000)).layers[0]).toMatchObject({
        remaining: 0,
        resetAt: T0 + 70_000,
      });
    });

    it("a refusal leaves no trace: the other layers and the minute after are untouched", async () => {
      const base = request();
      const send = (now: number) =>
        h.backend().admit({ ...base, now, conversationId: newId(), messageId: newId() });
      for (let i = 0; i < 8; i++) await send(T0 + i);
      // Next minute: the hour layer counted only the 3 admitted, so 3 more fit and the hour shows 10 - 6.
      for (let i = 0; i < 3; i++) admitted(await send(T0 + 60_000 + i));
      const refused = await send(T0 + 60_010);
      expect(refused.admitted).toBe(false);
      const hour = refused.layers.find((l) => l.layer.name === "hour");
      expect(hour?.remaining).toBe(4);
    });

    it("reports every layer that refuses (the route answers with the latest reset)", async () => {
      const plans = { free: { ...FREE, perMinute: 2, perHour: 2 } };
      const base = request({ plans });
      for (let i = 0; i < 2; i++)
        admitted(await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() }));
      const refused = await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() });
      if (refused.admitted) throw new Error("admitted");
      expect(
        refused.refusals.map((r) => (r.reason === "rate" ? r.state.layer.name : r.reason)).sort(),
      ).toEqual(["hour", "min"]);
    });

    it("skips a layer whose limit is 0", async () => {
      const base = request({ plans: { free: { ...FREE, perMinute: 0 } } });
      const result = admitted(await h.backend().admit(base));
      expect(result.layers.map((l) => l.layer.name)).toEqual(["hour", "ip-min"]);
    });

    it("caps concurrent replies with leases, frees one on settle, and lets a lapsed lease go", async () => {
      const plans = { free: { ...FREE, perMinute: 100, perHour: 100, concurrentStreams: 1 } };
      const base = request({ plans });
      const first = { ...base, leaseId: newId() };
      const firstResult = admitted(await h.backend().admit(first));
      const second = { ...base, conversationId: newId(), messageId: newId(), leaseId: newId() };
      const refused = await h.backend().admit(second);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([{ reason: "concurrency", limit: 1, freesAt: T0 + LEASE_MS }]);
      // The refusal counted nothing: the minute layer still shows one use.
      expect(refused.layers.find((l) => l.layer.name === "min")?.remaining).toBe(99);
      await h.backend().settle(settlement(first, firstResult), T0 + 5);
      admitted(await h.backend().admit({ ...second, now: T0 + 10 }));
      // That reply's instance crashed (no settle): its lease lapses and the slot frees by itself.
      admitted(
        await h.backend().admit({
          ...second,
          conversationId: newId(),
          messageId: newId(),
          leaseId: newId(),
          now: T0 + 10 + LEASE_MS + 1,
        }),
      );
    });

    it("renewing a lease keeps the slot taken past the original lease", async () => {
      const plans = { free: { ...FREE, concurrentStreams: 1 } };
      const base = request({ plans });
      admitted(await h.backend().admit(base));
      await h.backend().renew(base.limitKey, base.leaseId, T0 + LEASE_MS - 100);
      const later = await h.backend().admit({
        ...base,
        conversationId: newId(),
        messageId: newId(),
        leaseId: newId(),
        now: T0 + LEASE_MS + 100,
      });
      expect(later.admitted).toBe(false);
    });

    it("refuses someone else's conversation with not_found, counting nothing", async () => {
      const owner = request();
      admitted(await h.backend().admit(owner));
      const stranger = request({ conversationId: owner.conversationId });
      const refused = await h.backend().admit(stranger);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([{ reason: "not_found" }]);
      expect(refused.layers.find((l) => l.layer.name === "min")?.remaining).toBe(3);
    });

    it("refuses a message id it already received; a forgotten one may be sent again", async () => {
      const base = request();
      const first = admitted(await h.backend().admit(base));
      expect(first.claim).toBe("created");
      const again = await h.backend().admit({ ...base, leaseId: newId() });
      if (again.admitted) throw new Error("admitted");
      expect(again.refusals).toEqual([{ reason: "duplicate" }]);
      await h.backend().settle(settlement(base, first, { forgetMessageId: base.messageId }), T0);
      expect(admitted(await h.backend().admit({ ...base, leaseId: newId() })).claim).toBe("mine");
    });

    it("returns the history of the caller's conversation and appends the exchange on settle", async () => {
      const base = request();
      const first = admitted(await h.backend().admit(base));
      expect(first.history).toEqual([]);
      const exchange = [message("question one"), message("answer one", "assistant")];
      await h
        .backend()
        .settle(settlement(base, first, { messages: exchange, title: "Question one" }), T0 + 1);
      const next = admitted(
        await h.backend().admit({ ...base, messageId: newId(), leaseId: newId(), now: T0 + 2 }),
      );
      expect(next.claim).toBe("mine");
      expect(next.history).toEqual(exchange);
      expect(await h.readConversation(base.owner, base.conversationId)).toMatchObject({
        title: "Question one",
      });
    });

    it("does not bring back a conversation deleted while its reply streamed", async () => {
      const base = request();
      const result = admitted(await h.backend().admit(base));
      await h.deleteConversation(base.owner, base.conversationId);
      await h.backend().settle(settlement(base, result, { messages: [message("late")] }), T0 + 1);
      expect(await h.readConversation(base.owner, base.conversationId)).toBeNull();
    });

    it("reserves prompt + reply from the budget, never the same tokens twice, and settles to the real usage", async () => {
      const plans = { free: { ...FREE, perMinute: 100, perHour: 100, dailyTokens: 1_000 } };
      const base = request({ plans, maxOutputTokens: 400 });
      const one = { ...base, leaseId: newId() };
      const r1 = admitted(await h.backend().admit(one));
      expect(r1.grant.maxOutputTokens).toBe(400);
      const prompt = r1.grant.reserved - 400;
      expect(prompt).toBeGreaterThan(33); // 100 bytes of message + the system prompt, at 3 bytes a token
      // Parallel requests share what is left: the second gets the rest, the third nothing.
      const two = { ...base, conversationId: newId(), messageId: newId(), leaseId: newId() };
      const r2 = admitted(await h.backend().admit(two));
      expect(r2.grant.maxOutputTokens).toBe(Math.min(400, 1_000 - r1.grant.reserved - prompt));
      const three = { ...base, conversationId: newId(), messageId: newId(), leaseId: newId() };
      const refused = await h.backend().admit(three);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([
        {
          reason: "credits",
          used: 0,
          reserved: r1.grant.reserved + r2.grant.reserved,
          budget: 1_000,
          historyTokens: 0,
          newChatFits: false,
        },
      ]);
      // Settling bills the real tokens and releases the rest of the reservation.
      await h.backend().settle(settlement(one, r1, { tokens: 120 }), T0 + 1);
      await h.backend().settle(settlement(two, r2, { tokens: 80 }), T0 + 1);
      const four = admitted(await h.backend().admit({ ...three, leaseId: newId(), now: T0 + 2 }));
      expect(four.usedTokens).toBe(200);
      expect(four.grant.maxOutputTokens).toBe(400);
    });

    it("refuses with 402 when what is left after the prompt is too short for a reply", async () => {
      const plans = { free: { ...FREE, dailyTokens: 60 + MIN_REPLY_TOKENS } };
      const refused = await h.backend().admit(request({ plans, messageBytes: 3 * 100 }));
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals[0]).toMatchObject({ reason: "credits", used: 0, reserved: 0 });
    });

    it("applies a signed-in user's stored plan, and the default plan when there is none", async () => {
      const plans = { free: FREE, pro: { ...FREE, perMinute: 5 } };
      const base = request({ plans });
      await h.setPlan(base.limitKey, "pro");
      for (let i = 0; i < 5; i++) {
        const r = admitted(await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() }));
        expect(r.plan).toBe("pro");
      }
      expect(
        (await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() })).admitted,
      ).toBe(false);
      const anonymous = request({ plans, readsStoredPlan: false, defaultPlan: "free" });
      await h.setPlan(anonymous.limitKey, "pro");
      expect(admitted(await h.backend().admit(anonymous)).plan).toBe("free");
      const unknownPlan = request({ plans });
      await h.setPlan(unknownPlan.limitKey, "enterprise");
      expect(admitted(await h.backend().admit(unknownPlan)).plan).toBe("free");
    });

    it("reads every layer without spending anything (peek)", async () => {
      const base = request();
      admitted(await h.backend().admit(base));
      for (let i = 0; i < 20; i++) await h.backend().peek(base);
      const { plan, layers } = await h.backend().peek(base);
      expect(plan).toBe("free");
      expect(layers.map((l) => [l.layer.name, l.limit, l.remaining])).toEqual([
        ["min", 3, 2],
        ["hour", 10, 9],
        ["ip-min", 30, 29],
      ]);
      expect(
        admitted(await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() })).layers[0]
          ?.remaining,
      ).toBe(1);
    });

    it("refuses a blocked user, or anyone on a blocked address, counting nothing; the block lapses", async () => {
      const base = request({ ip: "198.51.100.7" });
      await h.operator().setBlock({ target: base.limitKey, until: T0 + 30_000, reason: "spam" }, T0);
      const refused = await h.backend().admit(base);
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toContainEqual({
        reason: "blocked",
        until: T0 + 30_000,
        note: "spam",
        target: expect.any(String),
      });
      expect(refused.layers.find((l) => l.layer.name === "min")?.remaining).toBe(3);
      expect(admitted(await h.backend().admit({ ...base, now: T0 + 30_001 })).claim).toBe("created");
      const neighbour = request({ ip: "198.51.100.7" });
      await h.operator().setBlock({ target: "ip:198.51.100.7", until: T0 + 60_000, reason: "abuse" }, T0);
      const onBlockedAddress = await h.backend().admit(neighbour);
      expect(onBlockedAddress.admitted).toBe(false);
      expect(await h.operator().clearBlock("ip:198.51.100.7", T0)).not.toBeNull();
      expect((await h.backend().admit(neighbour)).admitted).toBe(true);
    });

    it("reads audit entries made in the same millisecond back in the order they were made", async () => {
      const at = new Date(T0).toISOString();
      for (const action of ["reset", "block", "unblock", "reset"] as const) {
        await h
          .operator()
          .appendAudit({ at, actor: "admin-token", action, key: "user:same-ms", detail: action }, T0);
      }
      const entries = await h.operator().audit(10, 0);
      expect(entries.map((e) => e.action)).toEqual(["reset", "unblock", "block", "reset"]);
      expect(entries[0]).toEqual({
        at,
        actor: "admin-token",
        action: "reset",
        key: "user:same-ms",
        detail: "reset",
      });
      expect((await h.operator().audit(2, 1)).map((e) => e.action)).toEqual(["unblock", "block"]);
    });

    it("counts admissions and refusals per minute, by scope, with the refused identities", async () => {
      const base = request();
      for (let i = 0; i < 5; i++)
        await h.backend().admit({ ...base, conversationId: newId(), messageId: newId() });
      const minute = statsMinute(T0);
      const [counts] = await h.operator().minutes(minute, minute);
      expect(counts).toMatchObject({ minute, counts: { admitted: 3, "refused:user": 2 } });
      expect(counts?.top[base.limitKey]).toBe(2);
    });

    it("blocks a repeat offender automatically: the crossing refusal is still a 429, the next a block", async () => {
      const abuse = { afterRefusals: 2, windowSeconds: 60, blockSeconds: 30 };
      const base = request({ abuse });
      const send = () => h.backend().admit({ ...base, conversationId: newId(), messageId: newId() });
      for (let i = 0; i < 3; i++) admitted(await send());
      const reasons: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await send();
        if (!r.admitted)
          reasons.push(
            r.refusals
              .map((x) => x.reason)
              .sort()
              .join("+"),
          );
      }
      expect(reasons).toEqual(["rate", "rate", "rate", "blocked+rate"]);
      expect(await h.operator().getBlock(base.limitKey, T0)).toMatchObject({
        reason: "automatic",
        until: T0 + 30_000,
      });
      // Lifting the block forgets the count: the next refusal is a 429 again, not an instant block.
      expect(await h.operator().clearBlock(base.limitKey, T0)).not.toBeNull();
      const after = await send();
      expect(after.admitted ? [] : after.refusals.map((x) => x.reason)).toEqual(["rate"]);
      expect(await h.operator().getBlock(base.limitKey, T0)).toBeNull();
    });

    it("counts refusals answered from an instance's cache into the stats and abuse windows", async () => {
      const base = request();
      const abuse = { afterRefusals: 3, windowSeconds: 60, blockSeconds: 30 };
      await h
        .backend()
        .countCachedRefusals(T0, [{ scope: "user", limitKey: base.limitKey, times: 4 }], abuse);
      const minute = statsMinute(T0);
      expect((await h.operator().minutes(minute, minute))[0]?.counts["refused:user"]).toBe(4);
      expect(await h.operator().getBlock(base.limitKey, T0 + 1)).toMatchObject({ reason: "automatic" });
    });

    it("regenerate answers the last message again and edit replaces it: the settle replaces the turn", async () => {
      const base = request();
      const u1 = message("first question");
      const first = admitted(await h.backend().admit({ ...base, messageId: u1.id }));
      await h
        .backend()
        .settle(settlement(base, first, { messages: [u1, message("first answer", "assistant")] }), T0);
      const regen = {
        ...base,
        intent: "regenerate" as const,
        messageId: "",
        messageBytes: 0,
        leaseId: newId(),
      };
      const again = admitted(await h.backend().admit(regen));
      expect(again.length).toBe(2);
      const a2 = message("second answer", "assistant");
      await h
        .backend()
        .settle(settlement(regen, again, { messages: [a2], replace: { from: 1, expectLength: 2 } }), T0);
      expect((await h.readConversation(base.owner, base.conversationId))?.messages).toEqual([u1, a2]);

      const u1b = message("first question, edited");
      const edit = { ...base, intent: "edit" as const, messageId: u1b.id, leaseId: newId() };
      const edited = admitted(await h.backend().admit(edit));
      const a3 = message("answer to the edit", "assistant");
      await h
        .backend()
        .settle(settlement(edit, edited, { messages: [u1b, a3], replace: { from: 0, expectLength: 2 } }), T0);
      expect((await h.readConversation(base.owner, base.conversationId))?.messages).toEqual([u1b, a3]);
    });

    it("refuses a message whose history leaves too little, and says a new chat would fit", async () => {
      const base = request({ plans: { free: { ...FREE, dailyTokens: 800 } }, maxOutputTokens: 100 });
      const u1 = message("x".repeat(1_500));
      const first = admitted(await h.backend().admit({ ...base, messageId: u1.id }));
      await h
        .backend()
        .settle(
          settlement(base, first, { messages: [u1, message("y".repeat(300), "assistant")], tokens: 300 }),
          T0,
        );
      const refused = await h.backend().admit({ ...base, messageId: newId(), leaseId: newId() });
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals).toEqual([
        expect.objectContaining({ reason: "credits", used: 300, newChatFits: true }),
      ]);
      const historyTokens = refused.refusals[0]?.reason === "credits" ? refused.refusals[0].historyTokens : 0;
      expect(historyTokens).toBeGreaterThanOrEqual(Math.ceil(1_800 / 3));
      admitted(
        await h.backend().admit({ ...base, conversationId: newId(), messageId: newId(), leaseId: newId() }),
      );
    });

    it("refuses regenerate or edit naming a last message the conversation no longer ends with", async () => {
      const base = request();
      const u1 = message("mine");
      const a1 = message("answer", "assistant");
      const first = admitted(await h.backend().admit({ ...base, messageId: u1.id }));
      await h.backend().settle(settlement(base, first, { messages: [u1, a1] }), T0);
      // Another tab sends a turn; this tab still thinks the conversation ends with a1.
      const other = { ...base, messageId: newId(), leaseId: newId() };
      const second = admitted(await h.backend().admit(other));
      const a2 = message("other tab's answer", "assistant");
      await h.backend().settle(settlement(other, second, { messages: [message("other tab"), a2] }), T0);
      for (const intent of ["regenerate", "edit"] as const) {
        const stale = await h.backend().admit({
          ...base,
          intent,
          messageId: intent === "edit" ? newId() : "",
          expectLastMessageId: a1.id,
          leaseId: newId(),
        });
        if (stale.admitted) throw new Error("admitted");
        expect(stale.refusals).toEqual([{ reason: "stale" }]);
      }
      admitted(
        await h.backend().admit({
          ...base,
          intent: "regenerate",
          messageId: "",
          expectLastMessageId: a2.id,
          leaseId: newId(),
        }),
      );
    });

    it("regenerate or edit needs a conversation of the caller's with a message in it", async () => {
      const base = request();
      const missing = await h.backend().admit({ ...base, intent: "regenerate", messageId: "" });
      if (missing.admitted) throw new Error("admitted");
      expect(missing.refusals).toEqual([{ reason: "not_found" }]);
      admitted(await h.backend().admit(base)); // created, nothing saved yet
      const empty = await h
        .backend()
        .admit({ ...base, intent: "edit", messageId: newId(), leaseId: newId() });
      if (empty.admitted) throw new Error("admitted");
      expect(empty.refusals).toEqual([{ reason: "nothing_to_replace" }]);
    });

    it("counts the per-IP layer for everyone on the address", async () => {
      const shared = (user: string) => request({ user, ip: "203.0.113.9" });
      for (let i = 0; i < 30; i++) admitted(await h.backend().admit(shared(`ip-${i}`)));
      const refused = await h.backend().admit(shared("ip-31"));
      if (refused.admitted) throw new Error("admitted");
      expect(refused.refusals[0]).toMatchObject({ reason: "rate", state: { layer: { name: "ip-min" } } });
    });
  });
}
