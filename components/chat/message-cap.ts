// The longest message the server accepts (CHAT_MAX_MESSAGE_CHARS, from /api/session), for the composer and edits.
"use client";

import { createContext, useContext } from "react";
import { DEFAULT_MAX_MESSAGE_CHARS } from "@/lib/wire/limits";

export const MessageCapContext = createContext(DEFAULT_MAX_MESSAGE_CHARS);

export function useMessageCap(): number {
  return useContext(MessageCapContext);
}
