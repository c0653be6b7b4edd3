// The conversation's model: its own remembered choice, else the last one used, else the caller's default.
"use client";

import { useCallback, useState } from "react";
import type { ModelList } from "@/components/api";
import { browserStorage } from "@/lib/chat-client/held-store";
import {
  effectiveModel,
  offersChoice,
  readLastModel,
  readModelChoice,
  writeModelChoice,
} from "@/lib/chat-client/model-choice";

/** Mount once per conversation (the chat view is keyed by its id). */
export function useModelChoice(conversationId: string, list: ModelList | null) {
  const [choice, setChoice] = useState(() => readModelChoice(browserStorage(), conversationId));
  // Read once: a new chat starts with the model last used anywhere, and keeps it once it sends.
  const [lastUsed] = useState(() => readLastModel(browserStorage()));
  const model = effectiveModel(list, choice, lastUsed);
  const offered = offersChoice(list);

  const choose = useCallback(
    (key: string) => {
      setChoice(key);
      writeModelChoice(browserStorage(), conversationId, key, Date.now());
    },
    [conversationId],
  );
  /** A message went out with `model`: the conversation keeps it (and it is the last one used). */
  const remember = useCallback(() => {
    if (offered && model) writeModelChoice(browserStorage(), conversationId, model, Date.now());
  }, [offered, model, conversationId]);

  return { model, offered, choose, remember };
}
