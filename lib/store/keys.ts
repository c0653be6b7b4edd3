// Redis keys of conversations: one fact shared by the store and the admission and settle scripts.

export const conversationKeys = {
  /** Hash: title, updatedAt. */
  meta: (owner: string, id: string) => `conv:${owner}:${id}`,
  /** List of stored UIMessages (JSON), oldest first. */
  messages: (owner: string, id: string) => `msgs:${owner}:${id}`,
  /** Set of the user message ids received: a retried send with the same id is not stored twice. */
  messageIds: (owner: string, id: string) => `msgids:${owner}:${id}`,
  /** Sorted set of the owner's conversation ids by updatedAt. */
  index: (owner: string) => `convs:${owner}`,
  /** String: the id's single owner. */
  owner: (id: string) => `conv-owner:${id}`,
};
