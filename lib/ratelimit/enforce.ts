// Turns the limiter's decision into what the chat route needs: RateLimit headers, or a 429 / 503 ApiError.

import { runAfterResponse } from "../http/background";
import { ApiError } from "../http/errors";
import type { Caller } from "../identity/identify";
import { rateLimitedError, rateLimitHeaders } from "./headers";
import { getChatLimiter } from "./limiter";

/** Throws 429 (refused) or 503 (store down, fail-closed); otherwise returns headers for the admitted response. */
export async function enforceChatLimits(caller: Caller): Promise<{ headers: Record<string, string> }> {
  const decision = await getChatLimiter().check(caller);
  // Registering after() is not free (~5 µs); the refused-from-cache path has nothing to wait for.
  if (decision.pending) runAfterResponse(decision.pending);
  switch (decision.outcome) {
    case "allowed":
      return { headers: rateLimitHeaders(decision.results) };
    case "refused": {
      const { layer } = decision.refusedBy;
      throw rateLimitedError({
        scope: layer.scope,
        limit: layer.limit,
        windowSeconds: layer.windowSeconds,
        retryAfterSeconds: decision.retryAfterSeconds,
        headers: rateLimitHeaders(decision.results),
      });
    }
    case "unavailable":
      if (decision.failMode === "open") return { headers: {} };
      throw new ApiError(
        "unavailable",
        "Chat is briefly unavailable while our rate limiter recovers. Please try again in a few seconds.",
        {},
        { "Retry-After": "5" },
      );
  }
}
