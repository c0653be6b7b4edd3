// Route-level suite for renaming conversations (PATCH /api/conversations/:id); run in memory and on real Redis.
import { describe, expect, it, vi } from "vitest";
import { DELETE as conversationDelete, PATCH as conversationPatch } from "@/app/api/conversations/[id]/route";
import { GET as conversationsGet } from "@/app/api/conversations/route";
import {
  type Caller,
  getConversation,
  guestCaller,
  idParams,
  newId,
  postChat,
  requestFor,
  streamedText,
  userToken,
  waitFor,
  waitForFirstExchange,
} from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

export function defineConversationRouteSuite(backend: SuiteBackend): void {
  describe(`conversation rename (${backend.name})`, () => {
    const configure = useSuiteApp(backend);

    const list = async (caller: Caller) => {
      const response = await conversationsGet(requestFor("/api/conversations", caller));
      return (await response.json()).conversations as { id: string; title: string; updated_at: number }[];
    };
    const patch = async (caller: Caller, id: string, body: string, contentType?: string) => {
      const init = { method: "PATCH", body, contentType };
      const response = await conversationPatch(
        requestFor(`/api/conversations/${id}`, caller, init),
        idParams(id),
      );
      return { status: response.status, body: await response.json() };
    };
    const rename = (caller: Caller, id: string, title: unknown) =>
      patch(caller, id, JSON.stringify({ title }));

    /** A conversation made the real way (a chat message), once its generated title has been stored. */
    async function conversationOf(caller: Caller, text = "Plan a trip to the mountains") {
      const id = newId();
      const response = await postChat(caller, id, text);
      expect(response.status).toBe(200);
      await streamedText(response);
      return waitForFirstExchange(caller, id);
    }

    it("a title generated from a message that looks like JSON reads back as typed", async () => {
      const caller = { bearer: await userToken("json") };
      const stored = await conversationOf(caller, '"quoted" 1e3 true');
      expect(stored.title).toBe('"quoted" 1e3 true');
      expect((await list(caller))[0]?.title).toBe('"quoted" 1e3 true');
    });

    it("a rename made while the first reply streams is kept: the generated title does not overwrite it", async () => {
      configure({ OFFLINE_MODEL_DELAY_MS: "20" });
      const caller = { bearer: await userToken("renamer") };
      const id = newId();
      const response = await postChat(caller, id, "Plan a trip");
      expect(response.status).toBe(200);
      expect((await rename(caller, id, "My own title")).status).toBe(200);
      await streamedText(response);
      const stored = await waitFor(async () => {
        const { body } = await getConversation(caller, id);
        return body.messages?.length === 2 ? body : undefined;
      });
      expect(stored.title).toBe("My own title");
    });

    it("renames the caller's conversation: GET and the list show the title, the order is unchanged", async () => {
      const caller = { bearer: await userToken("alice") };
      const older = await conversationOf(caller, "First conversation here");
      vi.setSystemTime(Date.now() + 1_000); // the suite's clock runs in coarse steps: make "newer" newer
      const newer = await conversationOf(caller, "Second conversation here");

      const renamed = await rename(caller, older.id, "Mountain trip");
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ id: older.id, title: "Mountain trip", updated_at: older.updated_at });
      expect((await getConversation(caller, older.id)).body.title).toBe("Mountain trip");
      const summaries = await list(caller);
      expect(summaries.map((c) => c.id)).toEqual([newer.id, older.id]);
      expect(summaries[1]).toEqual({ id: older.id, title: "Mountain trip", updated_at: older.updated_at });
      expect((await getConversation(caller, older.id)).body.messages).toEqual(older.messages);
    });

    it("stores the cleaned title: trimmed, whitespace collapsed, controls and bidi overrides removed", async () => {
      const caller = await guestCaller("198.51.100.31");
      const { id } = await conversationOf(caller);
      const renamed = await rename(caller, id, "  Trip\n\tplan \u202Egnp.exe\u202C \u0000 2026  ");
      expect(renamed.status).toBe(200);
      expect(renamed.body.title).toBe("Trip plan gnp.exe 2026");
      expect((await getConversation(caller, id)).body.title).toBe("Trip plan gnp.exe 2026");
    });

    it("gives back exactly the title sent, even one that reads as JSON (numbers, quotes, arrays)", async () => {
      const caller = { bearer: await userToken("quinn") };
      const { id } = await conversationOf(caller);
      for (const title of [
        '"quoted"',
        "1e3",
        "007",
        "12.50",
        "[1, 2]",
        "null",
        "true",
        '{"a":1}',
        "👩‍👩‍👧 🎉",
      ]) {
        expect((await rename(caller, id, title)).body.title, title).toBe(title);
        expect((await getConversation(caller, id)).body.title, title).toBe(title);
        expect((await list(caller))[0]?.title, title).toBe(title);
      }
    });

    it("accepts 1 and 100 characters (emoji count once) and refuses 0 or 101 with a 400 naming the field", async () => {
      const caller = { bearer: await userToken("ruth") };
      const { id } = await conversationOf(caller);
      expect((await rename(caller, id, "x")).status).toBe(200);
      expect((await rename(caller, id, `  ${"🎉".repeat(100)}  `)).body.title).toBe("🎉".repeat(100));
      expect((await rename(caller, id, "a".repeat(100))).status).toBe(200);

      const tooLong = await rename(caller, id, "a".repeat(101));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body).toEqual({
        error: "bad_request",
        message: "title: must be 1–100 characters after trimming",
      });
      expect((await getConversation(caller, id)).body.title).toBe("a".repeat(100));
    });

    it("answers every bad input with a 4xx JSON error and changes nothing", async () => {
      const caller = { bearer: await userToken("sam") };
      const { id, title } = await conversationOf(caller);
      const cases: Array<[string, string, number, string?]> = [
        ["empty title", JSON.stringify({ title: "" }), 400],
        ["whitespace only", JSON.stringify({ title: " \n\t " }), 400],
        ["only invisible characters", JSON.stringify({ title: "\u0000\u202E\u2066\ud800" }), 400],
        ["101 characters after trimming", JSON.stringify({ title: ` ${"b".repeat(101)} ` }), 400],
        ["number", JSON.stringify({ title: 5 }), 400],
        ["null", JSON.stringify({ title: null }), 400],
        ["missing title", "{}", 400],
        ["unknown field", JSON.stringify({ title: "ok", pinned: true }), 400],
        ["array body", JSON.stringify(["title"]), 400],
        ["malformed JSON", '{"title": ', 400],
        ["empty body", "", 400],
        ["huge body", JSON.stringify({ title: "c".repeat(20_000) }), 413],
        ["form body", "title=x", 415, "application/x-www-form-urlencoded"],
      ];
      for (const [label, body, status, contentType] of cases) {
        const response = await patch(caller, id, body, contentType);
        expect(response.status, label).toBe(status);
        expect(typeof response.body.error, label).toBe("string");
        expect(typeof response.body.message, label).toBe("string");
        expect(JSON.stringify(response.body), label).not.toMatch(/at .*\.ts|stack/i);
      }
      expect((await getConversation(caller, id)).body.title).toBe(title);
      const badId = await patch(caller, "x/y", JSON.stringify({ title: "ok" }));
      expect(badId.status).toBe(400);
    });

    it("answers 404 for another owner's conversation and leaves it as it was", async () => {
      const owner = { bearer: await userToken("carol") };
      const stranger = { bearer: await userToken("mallory") };
      const guestStranger = await guestCaller("203.0.113.99");
      const { id, title } = await conversationOf(owner);

      for (const caller of [stranger, guestStranger]) {
        const refused = await rename(caller, id, "Taken over");
        expect(refused.status).toBe(404);
        expect(refused.body.error).toBe("not_found");
      }
      // Someone else's id answers exactly like an id that never existed.
      const unknown = await rename(stranger, newId(), "Taken over");
      expect(unknown).toEqual({ status: 404, body: (await rename(stranger, id, "Taken over")).body });
      expect((await getConversation(owner, id)).body.title).toBe(title);
      expect(await list(stranger)).toEqual([]);
    });

    it("answers 404 for a deleted conversation and does not bring it back", async () => {
      const caller = { bearer: await userToken("dora") };
      const { id } = await conversationOf(caller);
      const deleted = await conversationDelete(
        requestFor(`/api/conversations/${id}`, caller, { method: "DELETE" }),
        idParams(id),
      );
      expect(deleted.status).toBe(204);
      expect((await rename(caller, id, "Back again?")).status).toBe(404);
      expect((await getConversation(caller, id)).status).toBe(404);
      expect(await list(caller)).toEqual([]);
    });
  });
}
