// Reads a JSON request body with a hard byte cap and a time limit, turning every failure into a 4xx ApiError.
import type { z } from "zod";
import { ApiError } from "./errors";
import { assertDeclaredSize, assertJsonBody, tooLarge } from "./guards";

/** A body that takes longer than this to arrive is refused (408): a dripping client can't hold a request open. */
export const BODY_READ_TIMEOUT_MS = 10_000;

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (text.trim() === "") throw new ApiError("bad_request", "The request body is empty; expected JSON.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The request body is not valid JSON.");
  }
}

/**
 * The body exactly as sent (UTF-8), for callers that must see the raw bytes, such as a signature check.
 * Same rules as readJsonBody: application/json only, at most `maxBytes` (checked while reading), in time.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  assertDeclaredSize(request, maxBytes);
  // JSON only, never absent: a cross-site form or no-cors fetch cannot send application/json without a
  // CORS preflight, which this API never grants.
  assertJsonBody(request);
  if (!request.body) throw new ApiError("bad_request", "The request body is empty; expected JSON.");
  // Count bytes as they arrive so a lying or missing Content-Length cannot make us buffer more than maxBytes.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError("request_timeout", "The request body arrived too slowly.")),
      BODY_READ_TIMEOUT_MS,
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("bad_request", "The request body is not valid UTF-8.");
  }
}

/**
 * Reads and throws away what is left of a request body, for at most `ms` and `maxBytes`: true when it ended in
 * time (the connection can be kept alive for the client's next request), false for a body that drips or floods.
 */
export async function discardBody(request: Request, maxBytes: number, ms: number): Promise<boolean> {
  if (!request.body || request.bodyUsed) return true;
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  try {
    for (let received = 0; received <= maxBytes; ) {
      const next = await Promise.race([reader.read(), late]);
      if (next === "late") return false;
      if (next.done) return true;
      received += next.value.byteLength;
    }
    return false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}

/** Validates with zod and reports the first problem as a 400 naming the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new ApiError("bad_request", `${where}${issue?.message ?? "invalid request"}`);
}
