// The quiet "2 messages left this minute" hint: GET /api/limits on load, then every chat answer's headers.
"use client";

import { useCallback, useEffect, useState } from "react";
import { api } from "@/components/api";
import {
  type LayerView,
  layersFromLimits,
  limitHint,
  observeAnswer,
  parseRateLimitHeaders,
} from "@/lib/chat-client/limit-hint";
import type { AnswerObserver } from "./transport";

export function useLimitHint() {
  const [layers, setLayers] = useState<LayerView[]>([]);
  const [, setClock] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api
      .limits()
      // An answer observed meanwhile is newer than this read: keep it.
      .then((limits) => !cancelled && setLayers((known) => (known.length ? known : layersFromLimits(limits))))
      .catch(() => undefined); // no hint is better than a wrong one
    return () => {
      cancelled = true;
    };
  }, []);

  const observe: AnswerObserver = useCallback(({ ok, headers }) => {
    const fields = parseRateLimitHeaders(headers.get("RateLimit"), headers.get("RateLimit-Policy"));
    if (fields) setLayers((known) => observeAnswer(known, fields, ok, Date.now()));
  }, []);

  const hint = limitHint(layers, Date.now());
  // Re-render when the hinted window ends, so the hint goes away with it.
  const until = hint?.until;
  useEffect(() => {
    if (until === undefined) return;
    const timer = window.setTimeout(() => setClock((n) => n + 1), Math.max(0, until - Date.now()) + 50);
    return () => window.clearTimeout(timer);
  }, [until]);

  return { hint: hint?.text ?? null, observe };
}
