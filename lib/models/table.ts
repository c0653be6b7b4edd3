// The chat models (CHAT_MODELS): each one's provider model id, who may use it, its limits and its capacity.
import { z } from "zod";

/** One model people can choose, as configured. Limits of 0 are off. */
export interface ModelRow {
  /** What the chat request names (`model: "<key>"`) and the Redis keys carry: short, lower-case. */
  key: string;
  label: string;
  /** The configured provider's model id (any string with the offline demo provider). */
  model: string;
  /** The plans that may use it; null: every plan. */
  plans: readonly string[] | null;
  /** Per-user messages per minute / per hour with this model, on top of the plan's own layers. */
  perMinute: number;
  perHour: number;
  /** How many daily-credit tokens one token of this model costs. */
  tokenCost: number;
  /** The provider's quota for this model, for the whole app. */
  capacity: { requestsPerMinute: number; tokensPerMinute: number };
}

/** Every model, in the configured order (the default for a caller is the first their plan allows). */
export type ModelTable = readonly ModelRow[];

/** The key of the single model the app has without CHAT_MODELS. */
export const DEFAULT_MODEL_KEY = "default";

export const MODEL_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,47}$/;
export const MODEL_FIELDS = ["label", "model", "plans", "perMinute", "perHour", "tokenCost", "capacity"];

const count = z
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be >= 0")
  .max(1_000_000_000, "is too large");
const rowSchema = z.strictObject({
  label: z.string({ message: "must be a string" }).trim().min(1, "must not be empty").max(80, "is too long"),
  model: z.string({ message: "must be a string" }).trim().min(1, "must not be empty").max(200, "is too long"),
  plans: z
    .array(z.string(), { message: "must be a list of plan names" })
    .min(1, "must not be empty")
    .optional(),
  perMinute: count.optional(),
  perHour: count.optional(),
  tokenCost: z
    .number({ message: "must be a number" })
    .positive("must be > 0")
    .max(1_000, "is too large")
    .optional(),
  capacity: z
    .strictObject({ requestsPerMinute: count.optional(), tokensPerMinute: count.optional() })
    .optional(),
});

/** Why CHAT_MODELS was refused, naming the model and the field when there are. */
export class ModelTableError extends Error {
  constructor(detail: string, model?: string, field?: string) {
    const where = [model && `model "${model}"`, field && `field "${field}"`].filter(Boolean).join(", ");
    super(where ? `${where}: ${detail}` : detail);
    this.name = "ModelTableError";
  }
}

/** The one model of an app without CHAT_MODELS: the configured provider's model, no extra limits. */
export function singleModelTable(modelId: string, label: string): ModelTable {
  return [
    {
      key: DEFAULT_MODEL_KEY,
      label,
      model: modelId,
      plans: null,
      perMinute: 0,
      perHour: 0,
      tokenCost: 1,
      capacity: { requestsPerMinute: 0, tokensPerMinute: 0 },
    },
  ];
}

/**
 * CHAT_MODELS (`raw`, a JSON object keyed by model key, in the order offered), validated against the plan
 * names; without it, `fallback`. Throws ModelTableError naming the model and field.
 */
export function parseModelTable(
  raw: string | undefined,
  planNames: string[],
  fallback: ModelTable,
): ModelTable {
  if (raw === undefined || raw.trim() === "") return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ModelTableError(
      `is not valid JSON (${error instanceof Error ? error.message : "parse error"})`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ModelTableError(
      'must be a JSON object keyed by model key, e.g. {"fast":{"label":"Fast","model":"gpt-5-mini"}}',
    );
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw new ModelTableError("must name at least one model");
  return entries.map(([key, value]) => {
    if (!MODEL_KEY_PATTERN.test(key)) {
      throw new ModelTableError(
        "model keys are lower-case letters, digits, '.', '-' and '_' (at most 48)",
        key,
      );
    }
    const result = rowSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
      const path = issue?.path.map(String) ?? [];
      const field = [...path, ...(unknownKey ? [unknownKey] : [])].join(".") || undefined;
      const detail = unknownKey
        ? `unknown field (allowed: ${path.length ? "requestsPerMinute, tokensPerMinute" : MODEL_FIELDS.join(", ")})`
        : (issue?.message ?? "invalid");
      throw new ModelTableError(
        typeof value === "object" && value ? detail : "must be an object",
        key,
        field,
      );
    }
    const row = result.data;
    const unknownPlan = row.plans?.find((plan) => !planNames.includes(plan));
    if (unknownPlan !== undefined) {
      throw new ModelTableError(`no plan "${unknownPlan}" (plans: ${planNames.join(", ")})`, key, "plans");
    }
    return {
      key,
      label: row.label,
      model: row.model,
      plans: row.plans ? [...new Set(row.plans)] : null,
      perMinute: row.perMinute ?? 0,
      perHour: row.perHour ?? 0,
      tokenCost: row.tokenCost ?? 1,
      capacity: {
        requestsPerMinute: row.capacity?.requestsPerMinute ?? 0,
        tokensPerMinute: row.capacity?.tokensPerMinute ?? 0,
      },
    };
  });
}

/**
 * A model's tokensPerMinute below one message's reservation (`oneMessage`: the least any message reserves)
 * could never admit a single message: a start-up error naming the model and the field.
 */
export function checkTokenCapacity(models: ModelTable, oneMessage: number, why: string): void {
  for (const row of models) {
    const tpm = row.capacity.tokensPerMinute;
    if (tpm > 0 && tpm < oneMessage) {
      throw new ModelTableError(
        `${tpm} is less than one message's reservation, ${oneMessage} tokens (${why}): no message could ever be admitted`,
        row.key,
        "capacity.tokensPerMinute",
      );
    }
  }
}

/** Whether a plan may use a model. */
export const allows = (row: ModelRow, plan: string): boolean =>
  row.plans === null || row.plans.includes(plan);
