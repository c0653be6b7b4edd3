// What the operator console's routes accept, as zod schemas: keys, block bodies, stats and audit ranges.
import { z } from "zod";
import { STATS_TTL_SECONDS } from "../admission/budget";
import { parseWith } from "../http/body";
import { ApiError } from "../http/errors";
import { type LimitKey, parseLimitKey } from "./keys";
import { MAX_AUDIT_LISTED } from "./types";
import { MAX_DIRECTORY_NAME_CHARS } from "./user-directory";

/** The longest block an operator can set in one go (30 days); a longer one is a ban, kept elsewhere. */
export const MAX_BLOCK_SECONDS = 30 * 24 * 3600;
export const MAX_REASON_CHARS = 200;
/** The stats' range: as many minutes as the store keeps. */
export const MAX_STATS_MINUTES = STATS_TTL_SECONDS / 60;
/** Admin bodies are a key and a reason: a few hundred bytes. */
export const MAX_ADMIN_BODY_BYTES = 4 * 1024;

export const limitKeySchema = z
  .string({ message: "key must be a string" })
  .max(300, "key is longer than 300 characters")
  .transform((raw, ctx): LimitKey => {
    const parsed = parseLimitKey(raw);
    if (typeof parsed !== "string") return parsed;
    ctx.addIssue({ code: "custom", message: parsed });
    return z.NEVER;
  });

export const keyBodySchema = z.object({ key: limitKeySchema }, { message: "the body must be a JSON object" });

export const blockBodySchema = z.object(
  {
    key: limitKeySchema,
    seconds: z
      .number({ message: "seconds must be a number" })
      .int("seconds must be a whole number")
      .min(1, "seconds must be at least 1")
      .max(MAX_BLOCK_SECONDS, `seconds must be at most ${MAX_BLOCK_SECONDS} (30 days)`),
    reason: z
      .string({ message: "reason must be a string" })
      .trim()
      .min(1, "reason must not be empty")
      .max(MAX_REASON_CHARS, `reason must be at most ${MAX_REASON_CHARS} characters`)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      .refine((reason) => !/[\u0000-\u001f\u007f]/.test(reason), "reason must be one line of text")
      // The chat tells a caller blocked "automatic"ally that it was their own refusals, not an operator.
      .refine((reason) => reason.toLowerCase() !== "automatic", 'reason "automatic" is the app\'s own'),
  },
  { message: "the body must be a JSON object" },
);

/** A whole number from a query parameter, with a default when absent. */
const queryInt = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
      if (value >= min && value <= max) return value;
      ctx.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    });

export const statsQuerySchema = z.object({ minutes: queryInt("minutes", 60, 1, MAX_STATS_MINUTES) });
export const auditQuerySchema = z.object({
  limit: queryInt("limit", 100, 1, MAX_AUDIT_LISTED),
  /** How many of the newest entries to pass over: the next page starts where the last one ended. */
  offset: queryInt("offset", 0, 0, 999_999),
});
export const keyQuerySchema = z.object({
  key: z
    .string({ message: "key is required, e.g. ?key=user:dev-alice or ?key=ip:203.0.113.7" })
    .pipe(limitKeySchema),
});

export const userSearchQuerySchema = z.object({
  name: z
    .string({ message: "name is required: the start of a display name, e.g. ?name=ada" })
    .trim()
    .min(1, "name must not be empty")
    .max(MAX_DIRECTORY_NAME_CHARS, `name must be at most ${MAX_DIRECTORY_NAME_CHARS} characters`),
});

/** The request's query parameters validated by `schema` (each parameter once: a repeated one is a 400). */
export function parseQuery<T>(request: Request, schema: z.ZodType<T>): T {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in query) throw new ApiError("bad_request", `${name} is given more than once`);
    query[name] = value;
  }
  return parseWith(schema, query);
}
