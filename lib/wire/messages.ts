// Plain text of a UIMessage: what the user typed, what the assistant wrote (text parts, in order).
import type { UIMessage } from "ai";

/** The text parts joined by blank lines (each part is a block of text); other parts are left out. */
export function messageText(message: Pick<UIMessage, "parts">): string {
  return message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n\n");
}
