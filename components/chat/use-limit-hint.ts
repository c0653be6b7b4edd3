// The quiet "2 messages left this minute" hint: GET /api/limits on load, then every chat answer's headers.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
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
  const [reads, setReads] = useState(0);
  const lastAnswerAt = useRef(0);

  // On load, and whenever the hinted layer frees a message: the layers are sliding logs, so only the server
  // knows when the next one frees.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reads` only asks for another read.
  useEffect(() => {
    let cancelled = false;
    const askedAt = Date.now();
    api
      .limits()
      // An answer observed meanwhile is newer than this read: keep it.
      .then((limits) => {
        if (!cancelled && lastAnswerAt.current <= askedAt) setLayers(layersFromLimits(limits));
      })
      .catch(() => undefined); // no hint is better than a wrong one
    return () => {
      cancelled = true;
    };
  }, [reads]);

  const observe: AnswerObserver = useCallback(({ ok, headers }) => {
    const fields = parseRateLimitHeaders(headers.get("RateLimit"), headers.get("RateLimit-Policy"));
    if (!fields) return;
    lastAnswerAt.current = Date.now();
    setLayers((known) => observeAnswer(known, fields, ok, Date.now()));
  }, []);

  const hint = limitHint(layers, Date.now());
  const until = hint?.until ?? null;
  useEffect(() => {
    if (until === null) return;
    const timer = window.setTimeout(() => setReads((n) => n + 1), Math.max(0, until - Date.now()) + 50);
    return () => window.clearTimeout(timer);
  }, [until]);

  return { hint: hint?.text ?? null, observe };
}
