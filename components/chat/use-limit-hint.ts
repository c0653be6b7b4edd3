// The quiet "2 messages left this minute" hint: GET /api/limits (with the chosen model's layers) on load and when
// the model changes, then every chat answer's headers.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/components/api";
import {
  forgetModelLayers,
  type LayerView,
  layersFromLimits,
  limitHint,
  observeAnswer,
  parseRateLimitHeaders,
} from "@/lib/chat-client/limit-hint";
import type { AnswerObserver } from "./transport";

/** `model`: the conversation's model (null: the plan's default), whose own layers count too. */
export function useLimitHint(model: string | null) {
  const [layers, setLayers] = useState<LayerView[]>([]);
  const [reads, setReads] = useState(0);
  const lastAnswerAt = useRef(0);

  // On load, when the model changes (the old one's layers go at once), and whenever the hinted layer frees a
  // message: the layers are sliding logs, so only the server knows when the next one frees.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reads` only asks for another read.
  useEffect(() => {
    let cancelled = false;
    const askedAt = Date.now();
    setLayers(forgetModelLayers);
    api
      .limits(model)
      // An answer observed meanwhile is newer than this read: keep it.
      .then((limits) => {
        if (!cancelled && lastAnswerAt.current <= askedAt) setLayers(layersFromLimits(limits));
      })
      .catch(() => undefined); // no hint is better than a wrong one
    return () => {
      cancelled = true;
    };
  }, [reads, model]);

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
