// Request bodies the API accepts, as zod schemas (server side; the browser shares only ./limits and ./types).
import { z } from "zod";
import { ID_PATTERN, ID_RULE } from "@/lib/wire/limits";

export const idSchema = z.string().regex(ID_PATTERN, ID_RULE);

const textPartSchema = z.object({
  type: z.literal("text"),
  text: z.string({ message: "text must be a string" }),
});

const userMessageSchema = (maxChars: number) =>
  z
    .object({
      id: idSchema,
      role: z.literal("user", { message: 'role must be "user"' }),
      parts: z.array(textPartSchema, { message: "parts must be a list of text parts" }).min(1).max(20),
    })
    .transform((message) => ({ ...message, parts: message.parts.map(({ type, text }) => ({ type, text })) }))
    .refine((m) => m.parts.some((p) => p.text.trim() !== ""), { message: "message text is empty" })
    // Control characters (other than tab and newlines) are never typed by a person and confuse models and logs.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
    .refine((m) => m.parts.every((p) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(p.text)), {
      message: "message text contains control characters",
    })
    .refine((m) => m.parts.reduce((n, p) => n + p.text.length, 0) <= maxChars, {
      message: `message text is longer than ${maxChars} characters`,
    });

/** Regenerate and edit name the turn they replace: the last message of the conversation as the client has it. */
const lastMessageIdSchema = z
  .string({ message: "last_message_id is required: the id of the conversation's last message" })
  .regex(ID_PATTERN, ID_RULE);

/** The model to answer with (a CHAT_MODELS key); absent: the first one the caller's plan allows. */
const modelKeySchema = z.string({ message: "model must be a string" }).min(1).max(100).optional();

/**
 * A chat message: `{id, message}` sends one (intent "send" is the default), `{id, intent: "regenerate"}` asks
 * for a new answer to the last message, `{id, intent: "edit", message}` replaces the last message and its
 * answer; each may name a `model`. The server owns the history: no other messages are accepted.
 */
function buildChatRequestSchema(maxChars: number) {
  const message = userMessageSchema(maxChars);
  return z.preprocess(
    (body) =>
      body && typeof body === "object" && !Array.isArray(body) && !("intent" in body)
        ? { ...body, intent: "send" }
        : body,
    z.discriminatedUnion(
      "intent",
      [
        z.object({ intent: z.literal("send"), id: idSchema, message, model: modelKeySchema }),
        z
          .object({
            intent: z.literal("regenerate"),
            id: idSchema,
            last_message_id: lastMessageIdSchema,
            model: modelKeySchema,
          })
          .strict(),
        z.object({
          intent: z.literal("edit"),
          id: idSchema,
          message,
          last_message_id: lastMessageIdSchema,
          model: modelKeySchema,
        }),
      ],
      { message: 'intent must be "send", "regenerate" or "edit"' },
    ),
  );
}

const schemas = new Map<number, ReturnType<typeof buildChatRequestSchema>>();
/** The chat request schema for a message cap (CHAT_MAX_MESSAGE_CHARS), built once per cap. */
export function chatRequestSchema(maxChars: number): ReturnType<typeof buildChatRequestSchema> {
  let schema = schemas.get(maxChars);
  if (!schema) {
    schema = buildChatRequestSchema(maxChars);
    schemas.set(maxChars, schema);
  }
  return schema;
}

export type ChatRequest = z.infer<ReturnType<typeof buildChatRequestSchema>>;
