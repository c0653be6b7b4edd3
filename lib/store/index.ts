// Picks the conversation store once per process: Upstash Redis when configured, else in memory.
import { getRedis } from "../redis";
import { MemoryChatStore } from "./memory";
import { RedisChatStore } from "./redis";
import type { ChatStore } from "./types";

export type { ChatMessage, ChatStore, Conversation, ConversationSummary } from "./types";

const globalStore = globalThis as typeof globalThis & { __chatStore?: ChatStore };

export function getStore(): ChatStore {
  // Kept on globalThis so `next dev` hot reloads don't wipe the in-memory conversations.
  globalStore.__chatStore ??= createStore();
  return globalStore.__chatStore;
}

function createStore(): ChatStore {
  const redis = getRedis();
  return redis ? new RedisChatStore(redis) : new MemoryChatStore();
}

/** Tests only. */
export function resetStoreForTests(): void {
  globalStore.__chatStore = undefined;
}
