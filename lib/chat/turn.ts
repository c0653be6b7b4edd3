// What a message does to the conversation's last turn: add one (send), answer it again, or replace it (edit).
import type { ChatIntent } from "../admission/types";
import type { ChatMessage } from "../store/types";

export interface Turn {
  /** The messages before the user message, as the model sees them. */
  history: ChatMessage[];
  /** The user message the reply answers. */
  userMessage: ChatMessage;
  /** Whether the user message is new (send, edit) and is saved with the reply. */
  savesUserMessage: boolean;
  /** Where the user message sits in the conversation once the turn is stored. */
  userIndex: number;
  /** Messages from this index of the stored conversation on are replaced (regenerate, edit). */
  replace?: { from: number; expectLength: number };
}

/**
 * `history` is the tail of a conversation of `length` messages. Regenerate answers its last user message
 * again (the reply after it is replaced, with a new id); edit replaces that message and its reply.
 * The admission step refused both when the conversation has no user message yet.
 */
export function planTurn(
  intent: ChatIntent,
  history: ChatMessage[],
  length: number,
  message?: ChatMessage,
): Turn {
  if (intent === "send") {
    if (!message) throw new Error("send needs a message");
    return { history, userMessage: message, savesUserMessage: true, userIndex: length };
  }
  const last = history.findLastIndex((m) => m.role === "user");
  const lastUser = history[last];
  if (!lastUser) throw new Error(`${intent}: no user message (the admission step checks this)`);
  const start = length - history.length; // index of history[0] in the whole conversation
  if (intent === "regenerate") {
    return {
      history: history.slice(0, last),
      userMessage: lastUser,
      savesUserMessage: false,
      userIndex: start + last,
      replace: { from: start + last + 1, expectLength: length },
    };
  }
  if (!message) throw new Error("edit needs a message");
  return {
    history: history.slice(0, last),
    userMessage: message,
    savesUserMessage: true,
    userIndex: start + last,
    replace: { from: start + last, expectLength: length },
  };
}
