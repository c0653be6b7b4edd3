// Where a reply picked up from the server (a reload, another tab) goes in the transcript: after its user message.
import type { ChatMessage, LiveTurn } from "../wire/types";

/**
 * The transcript up to the turn's user message, then that message: a tab that already shows it (it sent it,
 * or streamed part of the reply before a drop) keeps it and loses its partial reply, which is replayed whole;
 * any other tab cuts at the message's place (regenerate and edit replace the last turn) and adds it.
 */
export function placeTurn(messages: ChatMessage[], turn: LiveTurn): ChatMessage[] {
  const shown = messages.findIndex((m) => m.id === turn.user.id);
  const before = shown >= 0 ? messages.slice(0, shown) : messages.slice(0, turn.at);
  return [...before, turn.user];
}
