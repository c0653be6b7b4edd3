// App-wide data fetched over HTTP: session, conversation list, daily usage, rate layers and the model label.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  api,
  type ConversationSummary,
  type Health,
  type Limits,
  type ModelList,
  type SessionInfo,
  type Usage,
} from "@/components/api";

/** Re-fetchable JSON resource; keeps the last good value when a refresh fails. */
function useResource<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const seq = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const value = await load();
      if (mine === seq.current) {
        setData(value);
        setFailed(false);
      }
    } catch {
      if (mine === seq.current) setFailed(true);
    }
  }, [load]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { data, failed, refresh, setData };
}

const loadConversations = () => api.listConversations().then((r) => r.conversations);

/** `open`: the conversation on screen and its model, whose layers and message cost the account panel shows. */
export function useAppData(open: { conversationId: string | null; model: string | null }) {
  const { conversationId, model } = open;
  const loadLimits = useCallback(() => api.limits(model, conversationId), [model, conversationId]);
  const session = useResource<SessionInfo>(api.session);
  const conversations = useResource<ConversationSummary[]>(loadConversations);
  const usage = useResource<Usage>(api.usage);
  const health = useResource<Health>(api.health);
  /**
   * The rate layers' use now and what a message in the open conversation costs, for the account panel (the
   * chat's "2 left" hint reads its own); read again when another conversation or model is open.
   */
  const limits = useResource<Limits>(loadLimits);
  /** The chat models and which this caller may use (by plan): read again when the plan may have changed. */
  const models = useResource<ModelList>(api.models);
  const refreshConversations = conversations.refresh;
  const refreshUsage = usage.refresh;
  const refreshLimits = limits.refresh;
  /** After a reply: the server saved it, with a new conversation's title, before the stream ended. */
  const afterReply = useCallback(() => {
    void refreshConversations();
    void refreshUsage();
    void refreshLimits();
  }, [refreshConversations, refreshUsage, refreshLimits]);

  return { session, conversations, usage, health, limits, models, afterReply };
}
