// Redis keys of conversations: one fact shared by the store and the admission and settle scripts.

/**
 * Titles are stored JSON-encoded: the client JSON-parses every field it reads, so a raw title such as
 * `"quoted"`, `1e3` or `[1, 2]` would come back changed (`quoted`, 1000, "1,2"). An encoded string always
 * parses back to itself. Every writer of a title (rename, admission, settle) encodes it.
 */
export const encodeTitle = (title: string) => JSON.stringify(title);

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
