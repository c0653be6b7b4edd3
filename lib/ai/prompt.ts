// The system prompt and the thin step from stored UIMessages to the model messages streamText takes.
import { convertToModelMessages, type ModelMessage, type UIMessage } from "ai";

import { SYSTEM_PROMPT } from "./system-prompt";

export { SYSTEM_PROMPT };

/**
 * History plus the new user message as model messages. System-role UIMessages are dropped: the only system
 * text is SYSTEM_PROMPT (clients must not inject one, and AI SDK 7 rejects system messages inside `messages`).
 */
export async function toModelMessages(
  history: UIMessage[],
  userMessage?: UIMessage,
): Promise<ModelMessage[]> {
  const all = userMessage ? [...history, userMessage] : history;
  const usable = all.filter((m) => m.role !== "system" && m.parts.length > 0);
  return convertToModelMessages(usable, { ignoreIncompleteToolCalls: true });
}

/** Spread into streamText/generateText: `streamText({ model, ...(await buildChatPrompt(history, msg)) })`. */
export async function buildChatPrompt(
  history: UIMessage[],
  userMessage?: UIMessage,
): Promise<{ instructions: string; messages: ModelMessage[] }> {
  return { instructions: SYSTEM_PROMPT, messages: await toModelMessages(history, userMessage) };
}
