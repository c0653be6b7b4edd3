// The one builder of POST /api/chat/message bodies for tests, e2e specs and benchmarks.

let sequence = 0;
/** A unique id (letters, digits, '-'): for conversations and messages. */
export function newId(prefix = "c"): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface ChatBodyOptions {
  /** The user message's id; a fresh one by default (a retried send reuses its id). */
  messageId?: string;
  /** The model to answer with (a CHAT_MODELS key); absent: the plan's default. */
  model?: string;
}

/** The JSON body of one chat message: the conversation id and the new user message (the server owns history). */
export function chatBody(conversationId: string, text = "hello", options: ChatBodyOptions = {}): string {
  return JSON.stringify({
    id: conversationId,
    message: { id: options.messageId ?? newId("m"), role: "user", parts: [{ type: "text", text }] },
    model: options.model,
  });
}
