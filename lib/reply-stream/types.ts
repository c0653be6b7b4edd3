// The live reply buffer's contract: a reply's UI chunks kept in the store while it streams, for other readers.
import type { UIMessageChunk } from "ai";
import type { ChatMessage } from "../store/types";

/** The writer appends at most this often while the model streams (≤ 4 store writes a second). */
export const FLUSH_EVERY_MS = 250;
/** With nothing new to append, the writer still asks whether Stop was pressed (and keeps the buffer alive) this often. */
export const STOP_CHECK_EVERY_MS = 500;
/** Readers (a reloaded or second tab) poll the buffer this often while the reply streams. */
export const READ_EVERY_MS = 250;
/**
 * A live buffer lapses this long after its writer's last call: an instance that died mid-reply leaves no
 * reply that looks live for long (the writer calls at least every STOP_CHECK_EVERY_MS while alive).
 */
export const LIVE_TTL_MS = 15_000;
/**
 * A finished buffer is kept this long, so a tab that loaded the conversation just before the reply was
 * stored still gets it whole (its next poll replays it), then it expires.
 */
export const FINISHED_TTL_MS = 60_000;

export type ReplyChunk = UIMessageChunk<ChatMessage["metadata"]>;

/** One append: the chunks of one flush; `end` on the last one (finished, stopped or failed). */
export interface BufferEntry {
  chunks: ReplyChunk[];
  end?: true;
}

/** What a reader needs to know about a conversation's newest reply. */
export interface LiveReplyHead {
  /** Names this reply's buffer (its admission lease id). */
  streamId: string;
  /** The assistant message's id. */
  replyId: string;
  /** The user message it answers. */
  userMessageId: string;
}

export interface LiveReplyRef {
  owner: string;
  conversationId: string;
  streamId: string;
}

/** The conversation's newest reply (running or finished a moment ago), if the caller owns the conversation. */
export interface LatestReply {
  owned: boolean;
  head: (LiveReplyHead & { done: boolean }) | null;
}

/** Memory and Redis (through the Upstash REST client) implement it alike. */
export interface ReplyStreamStore {
  /** Appends one entry (the first also names the reply: `head`); true when Stop was asked for meanwhile. */
  append(ref: LiveReplyRef, entry: BufferEntry, head?: LiveReplyHead): Promise<boolean>;
  /** Whether Stop was asked for; keeps the live buffer from lapsing. */
  stopRequested(ref: LiveReplyRef): Promise<boolean>;
  latest(owner: string, conversationId: string): Promise<LatestReply>;
  /** The entries from `cursor` on, or null when the buffer is gone (expired: its writer died). */
  read(streamId: string, cursor: number): Promise<BufferEntry[] | null>;
  /** Asks the running reply to stop; "none" when nothing runs, "not_found" when the caller doesn't own it. */
  requestStop(owner: string, conversationId: string): Promise<"stopping" | "none" | "not_found">;
}

export const replyStreamKeys = {
  /** Hash: id (stream id), head (JSON LiveReplyHead), done ("0" | "1"). */
  latest: (owner: string, conversationId: string) => `reply:${owner}:${conversationId}`,
  /** List of BufferEntry JSON, in order: the reader's cursor is an index into it. */
  chunks: (streamId: string) => `reply-chunks:${streamId}`,
  /** String: the stream id Stop was asked for. */
  stop: (owner: string, conversationId: string) => `reply-stop:${owner}:${conversationId}`,
};
