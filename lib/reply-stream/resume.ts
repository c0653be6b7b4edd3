// Whether a tab gets a conversation's reply stream (replayed from its start, then live) or 204: nothing to resume.
import { createUIMessageStreamResponse } from "ai";
import { followReply } from "./reader";
import type { LatestReply, ReplyStreamStore } from "./types";

/** What the asking tab already shows: its last message's id, and the last reply stream it followed. */
export interface KnownToTab {
  last?: string;
  seen?: string;
}

/**
 * A running reply is always streamed (replayed whole: the tab's copy is replaced by it). A finished one only
 * when the tab may lack it — it loaded the conversation before the reply was stored — never to a tab that
 * followed it or shows it stored.
 */
export function shouldResume(head: NonNullable<LatestReply["head"]>, known: KnownToTab): boolean {
  if (known.seen === head.streamId && head.done) return false;
  if (known.last === head.replyId) return false;
  return !(head.done && known.last === head.userMessageId);
}

export function resumeResponse(store: ReplyStreamStore, latest: LatestReply, known: KnownToTab): Response {
  const { head } = latest;
  if (!head || !shouldResume(head, known)) return new Response(null, { status: 204 });
  return createUIMessageStreamResponse({
    stream: followReply(store, head.streamId),
    headers: { "Cache-Control": "no-cache, no-transform" },
  });
}
