// Route suite for GET /api/limits?conversation=<id>: what a message there costs, the admission's own reservation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as limitsGet } from "@/app/api/limits/route";
import { GET as usageGet } from "@/app/api/usage/route";
import {
  type Caller,
  getConversation,
  newId,
  postChat,
  requestFor,
  sendChat,
  streamedText,
  userToken,
  waitFor,
} from "../support/app";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai";
import { type SuiteBackend, useSuiteApp } from "./suite";

const PRICEY_COST = 3;
const CHAT_MODELS = JSON.stringify({
  plain: { label: "Plain", model: "plain-model" },
  pricey: { label: "Pricey", model: "pricey-model", tokenCost: PRICEY_COST },
});
const BUDGET = 40_000;

/** UTF-8 bytes of a user message as the chat route stores it (JSON): part of the prompt's estimate. */
const messageBytes = (id: string, text: string) =>
  Buffer.byteLength(JSON.stringify({ id, role: "user", parts: [{ type: "text", text }] }));
/**
 * `text` padded so its message is a whole number of tokens (3 bytes each): the estimate's rounding then never
 * hides the message's share, and the test can ask for exact figures.
 */
const paddedToTokens = (id: string, text: string) => {
  let padded = text;
  while (messageBytes(id, padded) % 3 !== 0) padded += ".";
  return padded;
};

export function defineMessageCostRouteSuite(backend: SuiteBackend): void {
  describe(`message cost (${backend.name})`, () => {
    let fake: FakeOpenAI;
    beforeAll(async () => {
      fake = await startFakeOpenAI({ reply: "A short answer from the provider." });
    });
    afterAll(() => fake.close());
    const configure = useSuiteApp(backend, {
      CHAT_MODELS,
      CHAT_DAILY_TOKEN_BUDGET: String(BUDGET),
      RATE_LIMIT_CHAT_PER_MIN: "20",
    });
    const onFake = () => configure({ OPENAI_BASE_URL: fake.baseURL });

    const limits = async (caller: Caller, query: string) => {
      const response = await limitsGet(requestFor(`/api/limits?${query}`, caller));
      return { status: response.status, body: await response.json() };
    };
    const costOf = async (caller: Caller, id: string, model = "plain") => {
      const { status, body } = await limits(caller, `conversation=${id}&model=${model}`);
      expect(status).toBe(200);
      return body.message_cost_tokens as number;
    };
    const remaining = async (caller: Caller) =>
      (await (await usageGet(requestFor("/api/usage", caller))).json()).remaining as number;
    const storedLength = (caller: Caller, id: string, length: number) =>
      waitFor(async () =>
        (await getConversation(caller, id)).body.messages?.length === length ? true : undefined,
      );
    const turn = async (caller: Caller, id: string, text: string, model = "plain") => {
      const { status } = await sendChat(caller, id, text, { model });
      expect(status).toBe(200);
    };

    it("grows with the conversation's stored history; a new chat's id, or someone else's, costs what a new chat does", async () => {
      onFake();
      const caller = { bearer: await userToken(`cost-${newId()}`) };
      const id = newId();
      const newChat = await costOf(caller, id);
      // The reply's cap (CHAT_MAX_OUTPUT_TOKENS, 4096 by default) plus the system prompt's estimate.
      expect(newChat).toBeGreaterThan(4096);
      let previous = newChat;
      for (let i = 1; i <= 3; i++) {
        await turn(caller, id, `question number ${i}, with a few words of context`);
        await storedLength(caller, id, 2 * i);
        const now = await costOf(caller, id);
        expect(now).toBeGreaterThan(previous);
        previous = now;
      }
      expect(await costOf(caller, newId())).toBe(newChat);
      // Another caller learns nothing about the conversation: its answer is a new chat's.
      const stranger = { bearer: await userToken(`stranger-${newId()}`) };
      expect(await costOf(stranger, id)).toBe(newChat);
      // The model's tokenCost multiplies the whole reservation.
      expect(await costOf(caller, id, "pricey")).toBe(previous * PRICEY_COST);
      // Only asked for with a conversation.
      expect((await limits(caller, "model=plain")).body.message_cost_tokens).toBeUndefined();
      const malformed = await limits(caller, "conversation=not%20an%20id");
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({
        error: "bad_request",
        message: expect.stringContaining("conversation"),
      });
    });

    it("is absent when the plan has no daily credits", async () => {
      configure({ OPENAI_BASE_URL: fake.baseURL, CHAT_DAILY_TOKEN_BUDGET: "0" });
      const caller = { bearer: await userToken(`free-${newId()}`) };
      const { status, body } = await limits(caller, `conversation=${newId()}`);
      expect(status).toBe(200);
      expect(body.message_cost_tokens).toBeUndefined();
    });

    it("is what the admission reserves for the next message there, and what its history adds is what a 402 reports", async () => {
      onFake();
      const caller = { bearer: await userToken(`reserve-${newId()}`) };
      const id = newId();
      await turn(caller, id, "first question about sliding windows", "pricey");
      await turn(caller, id, "second question, a little longer than the first one", "pricey");
      await storedLength(caller, id, 4);
      const figure = await costOf(caller, id, "pricey");

      // A reply held by the provider keeps its reservation: /api/usage's remaining shows it.
      const before = await remaining(caller);
      fake.set({ held: true });
      const messageId = newId("m");
      const text = paddedToTokens(messageId, "third question");
      const held = await postChat(caller, id, text, { model: "pricey", messageId });
      expect(held.status).toBe(200);
      const reserved = before - (await remaining(caller));
      // The figure leaves out the new message's own words: a token per 3 bytes of its JSON, at the model's cost.
      expect(reserved).toBe(figure + (messageBytes(messageId, text) / 3) * PRICEY_COST);
      fake.set({ held: false });
      await streamedText(held);
      await storedLength(caller, id, 6);

      // Replies held in new chats take every credit left: the long conversation's message is refused with 402.
      const longChat = await costOf(caller, id, "pricey");
      const newChat = await costOf(caller, newId(), "pricey");
      fake.set({ held: true });
      const fillers: Response[] = [];
      for (let i = 0; i < 6; i++) {
        const filler = await postChat(caller, newId(), "x", { model: "pricey" });
        if (filler.status !== 200) break;
        fillers.push(filler);
      }
      expect(fillers.length).toBeGreaterThanOrEqual(1);
      const fourthId = newId("m");
      const fourth = paddedToTokens(fourthId, "fourth question");
      const refused = await sendChat(caller, id, fourth, { model: "pricey", messageId: fourthId });
      expect(refused.status).toBe(402);
      const historyTokens = refused.body?.history_tokens as number;
      expect(historyTokens).toBeGreaterThan(0);
      expect(historyTokens * PRICEY_COST).toBe(longChat - newChat);
      fake.set({ held: false });
      await Promise.all(fillers.map(streamedText));
    });
  });
}
