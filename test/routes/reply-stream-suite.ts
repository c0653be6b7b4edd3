// Route-level suite for following and stopping a reply (GET / DELETE /api/conversations/:id/stream); memory and Redis.
import { describe, expect, it } from "vitest";
import { DELETE as streamDelete, GET as streamGet } from "@/app/api/conversations/[id]/stream/route";
import {
  type Caller,
  getConversation,
  guestCaller,
  idParams,
  newId,
  postChat,
  requestFor,
  sendChat,
  streamedText,
  waitFor,
} from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

export function defineReplyStreamRouteSuite(backend: SuiteBackend): void {
  describe(`reply stream routes (${backend.name})`, () => {
    const configure = useSuiteApp(backend);

    const follow = (caller: Caller, id: string, query = "") =>
      streamGet(requestFor(`/api/conversations/${id}/stream${query}`, caller), idParams(id));
    const stop = (caller: Caller, id: string) =>
      streamDelete(requestFor(`/api/conversations/${id}/stream`, caller, { method: "DELETE" }), idParams(id));
    /** Starts a slow reply, leaves its answer unread (the sending tab went away), and waits until it is followable. */
    async function liveReply(caller: Caller) {
      const id = newId();
      const sent = await postChat(caller, id, "Tell me how to plan everything");
      expect(sent.status).toBe(200);
      void sent.body?.cancel();
      await waitFor(async () => {
        const response = await follow(caller, id);
        if (response.status !== 200) return undefined;
        await response.body?.cancel();
        return true;
      }, 5_000);
      return id;
    }

    it("follows a reply its client left from the start to its end, stored whole; 204 once the tab has it", async () => {
      configure({ OFFLINE_MODEL_DELAY_MS: "5" });
      const caller = await guestCaller();
      const id = await liveReply(caller);
      const response = await follow(caller, id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const followed = await streamedText(response);
      const stored = await waitFor(async () => {
        const { body } = await getConversation(caller, id);
        return body.messages?.length === 2 ? body.messages : undefined;
      });
      const reply = stored[1];
      expect(reply.metadata.incomplete).toBe(false);
      expect(reply.parts.map((p: { text?: string }) => p.text ?? "").join("")).toBe(followed);
      // A tab that shows the stored reply (or followed it) is not sent it again.
      expect((await follow(caller, id, `?last=${reply.id}`)).status).toBe(204);
      expect((await follow(caller, id, `?last=${stored[0].id}`)).status).toBe(204);
    });

    it("answers 204 when no reply runs and 404 to anyone but the owner, for following and stopping", async () => {
      const owner = await guestCaller();
      const id = newId();
      expect((await sendChat(owner, id, "hello")).status).toBe(200);
      const { body } = await getConversation(owner, id);
      expect((await follow(owner, id, `?last=${body.messages.at(-1).id}`)).status).toBe(204);
      expect((await stop(owner, id)).status).toBe(204);
      const stranger = await guestCaller("203.0.113.9");
      for (const response of [await follow(stranger, id), await stop(stranger, id)]) {
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ error: "not_found" });
      }
      expect((await follow(owner, newId())).status).toBe(404);
      expect((await follow(owner, "not an id!")).status).toBe(400);
    });

    it("Stop from another request stops the model: 202, and the stored reply ends where it stopped", async () => {
      configure({ OFFLINE_MODEL_DELAY_MS: "20" });
      const caller = await guestCaller();
      const id = await liveReply(caller);
      const response = await follow(caller, id);
      expect((await stop(caller, id)).status).toBe(202);
      const followed = await streamedText(response);
      const stored = await waitFor(async () => {
        const { body } = await getConversation(caller, id);
        return body.messages?.length === 2 ? body.messages : undefined;
      });
      expect(stored[1].metadata.incomplete).toBe(true);
      expect(stored[1].parts.map((p: { text?: string }) => p.text ?? "").join("")).toBe(followed);
      expect((await stop(caller, id)).status).toBe(204);
    });

    it("following and stopping are never counted as messages", async () => {
      configure({ RATE_LIMIT_CHAT_PER_MIN: "2" });
      const caller = await guestCaller();
      const id = newId();
      expect((await sendChat(caller, id, "one")).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        await (await follow(caller, id)).body?.cancel();
        await stop(caller, id);
      }
      expect((await sendChat(caller, id, "two")).status).toBe(200);
      expect((await sendChat(caller, id, "three")).status).toBe(429);
    });
  });
}
