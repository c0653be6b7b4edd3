// The provider's own "full" (429 / overloaded) before a reply's first word: told apart, its wait read, never retried.
import {
  APICallError,
  type LanguageModelMiddleware,
  RetryError,
  type TextStreamPart,
  type ToolSet,
} from "ai";

/** A provider that says it is full without saying for how long is treated as full for this long. */
export const PROVIDER_BUSY_DEFAULT_MS = 10_000;
/** A longer hint (a quota that resets in an hour) is cut to this: the next request then probes again. */
export const PROVIDER_BUSY_MAX_MS = 5 * 60_000;

/** 429: rate limited; 503: overloaded / unavailable (OpenAI, vLLM); 529: overloaded (Anthropic, via gateways). */
const BUSY_STATUSES = new Set([429, 503, 529]);

interface StatusError {
  statusCode?: unknown;
  responseHeaders?: unknown;
  cause?: unknown;
}

/**
 * Until when (epoch ms) the provider is full, if `error` is its "full" answer (an APICallError, or the gateway's
 * error with one as its cause, possibly inside the SDK's RetryError); else null. The wait is the provider's own
 * `retry-after-ms` or `retry-after` (seconds or an HTTP date), else PROVIDER_BUSY_DEFAULT_MS; at most
 * PROVIDER_BUSY_MAX_MS, at least 1 s.
 */
export function providerBusyUntil(error: unknown, now: number): number | null {
  const failure = RetryError.isInstance(error) ? error.lastError : error;
  if (typeof failure !== "object" || failure === null) return null;
  const { statusCode, responseHeaders, cause } = failure as StatusError;
  if (typeof statusCode !== "number" || !BUSY_STATUSES.has(statusCode)) return null;
  const headers = responseHeaders ?? (cause as StatusError | undefined)?.responseHeaders;
  const wait = waitOf(
    typeof headers === "object" && headers !== null ? (headers as Record<string, unknown>) : {},
    now,
  );
  return now + Math.min(PROVIDER_BUSY_MAX_MS, Math.max(1_000, wait ?? PROVIDER_BUSY_DEFAULT_MS));
}

function waitOf(headers: Record<string, unknown>, now: number): number | null {
  const header = (name: string) => {
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    return typeof entry === "string" && entry.trim() !== "" ? entry.trim() : null;
  };
  const ms = Number(header("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const after = header("retry-after");
  if (after === null) return null;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The SDK retries a 429 after the provider's hint (up to 60 s) before the first token, with the caller waiting
 * and the wall still there. A full provider is instead answered at once with "busy" and the breaker makes every
 * instance wait: its answer is made not retryable. Other failures (5xx, a dropped connection) keep the retry.
 */
export const busyProviderNotRetried: LanguageModelMiddleware = {
  specificationVersion: "v4",
  async wrapStream({ doStream }) {
    try {
      return await doStream();
    } catch (error) {
      if (!APICallError.isInstance(error) || !error.isRetryable || providerBusyUntil(error, 0) === null)
        throw error;
      throw new APICallError({
        message: error.message,
        url: error.url,
        requestBodyValues: error.requestBodyValues,
        statusCode: error.statusCode,
        responseHeaders: error.responseHeaders,
        responseBody: error.responseBody,
        cause: error,
        isRetryable: false,
        data: error.data,
      });
    }
  },
};

/** The stream's parts that carry no words: a reply has not begun while only these came. */
const OPENING_PARTS = new Set(["start", "start-step", "text-start", "reasoning-start", "raw"]);

export type Opening<TOOLS extends ToolSet> =
  | { busyUntil: number }
  | { busyUntil: null; stream: ReadableStream<TextStreamPart<TOOLS>> };

/**
 * Reads the stream up to its first part with words (or an error, or its end). If that is the provider's
 * "full" answer, the reply never began: `busyUntil`. Else the same stream, whole, from its first part.
 */
export async function openStream<TOOLS extends ToolSet>(
  stream: ReadableStream<TextStreamPart<TOOLS>>,
  now: () => number,
): Promise<Opening<TOOLS>> {
  const reader = stream.getReader();
  const read: TextStreamPart<TOOLS>[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    read.push(next.value);
    if (next.value.type === "error") {
      const busyUntil = providerBusyUntil(next.value.error, now());
      if (busyUntil !== null) {
        await reader.cancel().catch(() => {});
        return { busyUntil };
      }
    }
    if (!OPENING_PARTS.has(next.value.type)) break;
  }
  return {
    busyUntil: null,
    stream: new ReadableStream<TextStreamPart<TOOLS>>({
      start(controller) {
        for (const part of read) controller.enqueue(part);
      },
      async pull(controller) {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  };
}
