// Reads a JSON request body with a hard byte cap, turning every failure into a 4xx ApiError.
import type { z } from "zod";
import { ApiError } from "./errors";

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  // JSON only, never absent: a cross-site form or no-cors fetch cannot send application/json without a
  // CORS preflight, which this API never grants.
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json.");
  }
  if (!request.body) throw new ApiError("bad_request", "The request body is empty; expected JSON.");

  // Count bytes as they arrive so a lying or missing Content-Length cannot make us buffer more than maxBytes.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("bad_request", "The request body is not valid UTF-8.");
  }
  if (text.trim() === "") throw new ApiError("bad_request", "The request body is empty; expected JSON.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The request body is not valid JSON.");
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

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    "payload_too_large",
    `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`,
  );
}
