// Every environment variable the app reads, parsed and validated once (zod); errors name the variable.
import { z } from "zod";
import packageJson from "../package.json" with { type: "json" };
import { estimatePromptTokens } from "./admission/budget";
import { checkTokenCapacity, type ModelTable, ModelTableError, parseModelTable } from "./models/table";
import { type PlanTable, PlanTableError, parsePlanTable } from "./plans/table";
import { processState, resetProcessStateForTests } from "./process-state";
import { DEFAULT_MAX_MESSAGE_CHARS, USER_ID_PATTERN } from "./wire/limits";

const APP_VERSION: string = packageJson.version;

/** Thrown at start-up when an environment variable is invalid; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid environment variable ${variable}: ${detail}`);
    this.name = "ConfigError";
  }
}

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
/** A whole number in [min, max] written in plain digits (no signs, decimals or exponents). */
const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`))
      .default(fallback),
  );
const nonNegativeInt = (fallback: number) => wholeNumber(fallback, 0);
const positiveInt = (fallback: number) => wholeNumber(fallback, 1);
const bool = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(["true", "false", "1", "0"], { message: "must be true or false" })
      .transform((v) => v === "true" || v === "1")
      .default(fallback),
  );
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const optionalUrl = z.preprocess(blankToUndefined, z.url({ message: "must be a URL" }).optional());
/** Only `true` (or `1`) means anything: some libraries read these names themselves and treat any value as on. */
const trueOrUnset = z.preprocess(
  blankToUndefined,
  z.enum(["true", "1"], { message: "must be true, or left unset" }).optional(),
);
/** Comma-separated user keys (`user:<id>`, the id GET /api/session returns); blanks between commas are ignored. */
const userKeyList = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const keys = (value ?? "").split(",").flatMap((entry) => (entry.trim() ? [entry.trim()] : []));
      for (const key of keys) {
        if (!key.startsWith("user:") || !USER_ID_PATTERN.test(key.slice("user:".length))) {
          ctx.addIssue({
            code: "custom",
            message: `"${key.slice(0, 60)}" is not a user key: write user:<id> (the id GET /api/session returns)`,
          });
        }
      }
      return [...new Set(keys)];
    }),
);

const envSchema = z.object({
  NODE_ENV: z.preprocess(blankToUndefined, z.string().default("development")),
  VERCEL: optionalString,
  UPSTASH_REDIS_REST_URL: optionalUrl,
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  KV_REST_API_URL: optionalUrl,
  KV_REST_API_TOKEN: optionalString,
  RATE_LIMIT_CHAT_PER_MIN: nonNegativeInt(5),
  RATE_LIMIT_CHAT_PER_HOUR: nonNegativeInt(60),
  RATE_LIMIT_CHAT_IP_PER_MIN: nonNegativeInt(30),
  // Window lengths exist so tests can prove "wait Retry-After, then succeed" in seconds, not minutes.
  RATE_LIMIT_MINUTE_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_HOUR_WINDOW_SECONDS: positiveInt(3600),
  RATE_LIMIT_TIMEOUT_MS: positiveInt(500),
  RATE_LIMIT_FAIL_MODE: z.preprocess(
    blankToUndefined,
    z.enum(["open", "closed"], { message: "must be open or closed" }).default("open"),
  ),
  TRUSTED_PROXY_HOPS: nonNegativeInt(1),
  IPV6_SUBNET: wholeNumber(64, 1, 128),
  AUTH_SECRET: z.preprocess(
    blankToUndefined,
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  TRUST_USER_ID_HEADER: bool(false),
  AUTH_DEV_SIGNIN: bool(false),
  // Sign-in in the UI (Auth.js): any OpenID Connect provider, plus GitHub and Google when configured.
  AUTH_OIDC_ISSUER: optionalUrl,
  AUTH_OIDC_CLIENT_ID: optionalString,
  AUTH_OIDC_CLIENT_SECRET: optionalString,
  AUTH_OIDC_NAME: optionalString,
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  // Read by Auth.js itself: the public origin (self-hosted), or trust the forwarded host (behind a proxy).
  NEXTAUTH_URL: optionalUrl,
  AUTH_TRUST_HOST: trueOrUnset,
  AI_GATEWAY_API_KEY: optionalString,
  AI_MODEL: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OFFLINE_MODEL_DELAY_MS: nonNegativeInt(25),
  CHAT_DAILY_TOKEN_BUDGET: nonNegativeInt(100_000),
  PAYWALL_URL: optionalUrl,
  CHAT_MAX_CONCURRENT_STREAMS: nonNegativeInt(2),
  // The longest reply, in tokens: what a message reserves from the daily budget beyond its prompt.
  CHAT_MAX_OUTPUT_TOKENS: wholeNumber(4096, 64, 1_000_000),
  // The longest message a person may send, in characters (the request body's cap follows from it).
  CHAT_MAX_MESSAGE_CHARS: wholeNumber(DEFAULT_MAX_MESSAGE_CHARS, 100, 200_000),
  // Repeat offenders: more than N refusals within the window block the identity for a while. 0 = off.
  ABUSE_BLOCK_AFTER_REFUSALS: nonNegativeInt(0),
  ABUSE_WINDOW_SECONDS: positiveInt(600),
  ABUSE_BLOCK_SECONDS: positiveInt(900),
  // JSON object keyed by plan name, merged over the defaults built from the four variables above.
  RATE_LIMIT_PLANS: optionalString,
  // JSON object keyed by model key: the models people may choose (lib/models/table.ts). Unset: one model.
  CHAT_MODELS: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  // Only checkouts from this Payment Link raise a plan (others in the same Stripe account are ignored).
  STRIPE_PAYMENT_LINK_ID: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^plink_[A-Za-z0-9]+$/, "must be a Payment Link id (plink_…), as Stripe shows it")
      .optional(),
  ),
  // The operator console: a bearer token for the API, and the signed-in users who may use it.
  ADMIN_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .min(32, "must be at least 32 characters")
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .optional(),
  ),
  ADMIN_USER_IDS: userKeyList,
  // Each operator's admin API requests per minute (0 = no limit): reads (GET) and changes.
  ADMIN_RATE_LIMIT_READS_PER_MIN: nonNegativeInt(300),
  ADMIN_RATE_LIMIT_CHANGES_PER_MIN: nonNegativeInt(60),
  VERCEL_GIT_COMMIT_SHA: optionalString,
  // Filled in by next.config.ts at build time from git, when the build has a checkout.
  APP_BUILD_COMMIT: optionalString,
});

export type Env = z.infer<typeof envSchema>;

/** Every environment variable the app reads (tests clear them all so a developer's shell cannot leak in). */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

export type SignInProviderConfig =
  | { id: "oidc"; name: string; issuer: string; clientId: string; clientSecret: string }
  | { id: "github" | "google"; name: string; clientId: string; clientSecret: string };

export interface Config {
  isProduction: boolean;
  onVercel: boolean;
  /** Upstash REST credentials, or null for the embedded in-memory store and limiter. */
  redis: { url: string; token: string } | null;
  rateLimit: {
    perMinute: number;
    perHour: number;
    ipPerMinute: number;
    minuteWindowSeconds: number;
    hourWindowSeconds: number;
    timeoutMs: number;
    failMode: "open" | "closed";
  };
  proxy: {
    trustedHops: number;
    /** False when TRUSTED_PROXY_HOPS was left unset (the default 1 is then assumed, and warned about off Vercel). */
    trustedHopsSet: boolean;
    ipv6Subnet: number;
  };
  auth: {
    /** Set when AUTH_SECRET is configured; in development a random one is generated (see ./identity). */
    secret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    trustUserIdHeader: boolean;
    devSignin: boolean;
    /** Sign-in providers for the UI; empty when none is configured (then only dev sign-in / JWTs). */
    providers: SignInProviderConfig[];
  };
  ai: {
    gatewayApiKey: string | undefined;
    model: string | undefined;
    openaiApiKey: string | undefined;
    openaiBaseUrl: string | undefined;
    offlineDelayMs: number;
  };
  credits: { dailyTokenBudget: number; paywallUrl: string | undefined; maxOutputTokens: number };
  maxConcurrentStreams: number;
  /** The longest message in characters (CHAT_MAX_MESSAGE_CHARS); the browser learns it from /api/session. */
  maxMessageChars: number;
  /** Automatic blocking of repeat offenders; null when ABUSE_BLOCK_AFTER_REFUSALS is 0. */
  abuse: { afterRefusals: number; windowSeconds: number; blockSeconds: number } | null;
  /** Every plan's limits (guest, free, pro and any from RATE_LIMIT_PLANS). See lib/plans/table.ts. */
  plans: PlanTable;
  /** The models of CHAT_MODELS, validated; null without it (one model: the provider's, as configured). */
  models: ModelTable | null;
  billing: { stripeWebhookSecret: string | undefined; paymentLinkId: string | undefined };
  /** Who may use the operator console: ADMIN_TOKEN (unset: no token works), and these user keys. */
  admin: {
    token: string | undefined;
    userKeys: readonly string[];
    /** Each operator's admin API requests per minute; 0 = no limit. */
    readsPerMinute: number;
    changesPerMinute: number;
  };
  build: { version: string; commit: string | null };
}

/** Parses an environment; throws ConfigError naming the first invalid variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? "unknown"), issue?.message ?? "invalid");
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const redisUrl = e.UPSTASH_REDIS_REST_URL ?? e.KV_REST_API_URL;
  const redisToken = e.UPSTASH_REDIS_REST_TOKEN ?? e.KV_REST_API_TOKEN;
  if (redisUrl && !redisToken) {
    throw new ConfigError(
      e.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "KV_REST_API_TOKEN",
      "is required with the REST URL",
    );
  }
  if (isProduction && !e.AUTH_SECRET) {
    throw new ConfigError(
      "AUTH_SECRET",
      "is required in production (generate one with `openssl rand -base64 32`)",
    );
  }
  return {
    isProduction,
    onVercel: e.VERCEL === "1",
    redis: redisUrl && redisToken ? { url: redisUrl, token: redisToken } : null,
    rateLimit: {
      perMinute: e.RATE_LIMIT_CHAT_PER_MIN,
      perHour: e.RATE_LIMIT_CHAT_PER_HOUR,
      ipPerMinute: e.RATE_LIMIT_CHAT_IP_PER_MIN,
      minuteWindowSeconds: e.RATE_LIMIT_MINUTE_WINDOW_SECONDS,
      hourWindowSeconds: e.RATE_LIMIT_HOUR_WINDOW_SECONDS,
      timeoutMs: e.RATE_LIMIT_TIMEOUT_MS,
      failMode: e.RATE_LIMIT_FAIL_MODE,
    },
    proxy: {
      trustedHops: e.TRUSTED_PROXY_HOPS,
      trustedHopsSet: blankToUndefined(env.TRUSTED_PROXY_HOPS) !== undefined,
      ipv6Subnet: e.IPV6_SUBNET,
    },
    auth: {
      secret: e.AUTH_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      trustUserIdHeader: e.TRUST_USER_ID_HEADER,
      devSignin: e.AUTH_DEV_SIGNIN,
      providers: signInProviders(e),
    },
    ai: {
      gatewayApiKey: e.AI_GATEWAY_API_KEY,
      model: e.AI_MODEL,
      openaiApiKey: e.OPENAI_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      offlineDelayMs: e.OFFLINE_MODEL_DELAY_MS,
    },
    credits: {
      dailyTokenBudget: e.CHAT_DAILY_TOKEN_BUDGET,
      paywallUrl: e.PAYWALL_URL,
      maxOutputTokens: e.CHAT_MAX_OUTPUT_TOKENS,
    },
    maxConcurrentStreams: e.CHAT_MAX_CONCURRENT_STREAMS,
    maxMessageChars: e.CHAT_MAX_MESSAGE_CHARS,
    abuse:
      e.ABUSE_BLOCK_AFTER_REFUSALS > 0
        ? {
            afterRefusals: e.ABUSE_BLOCK_AFTER_REFUSALS,
            windowSeconds: e.ABUSE_WINDOW_SECONDS,
            blockSeconds: e.ABUSE_BLOCK_SECONDS,
          }
        : null,
    plans: planTable(e),
    models: modelTable(e),
    billing: { stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET, paymentLinkId: e.STRIPE_PAYMENT_LINK_ID },
    admin: {
      token: e.ADMIN_TOKEN,
      userKeys: e.ADMIN_USER_IDS,
      readsPerMinute: e.ADMIN_RATE_LIMIT_READS_PER_MIN,
      changesPerMinute: e.ADMIN_RATE_LIMIT_CHANGES_PER_MIN,
    },
    build: { version: APP_VERSION, commit: e.VERCEL_GIT_COMMIT_SHA ?? e.APP_BUILD_COMMIT ?? null },
  };
}

function planTable(e: Env): PlanTable {
  try {
    return parsePlanTable(e.RATE_LIMIT_PLANS, {
      perMinute: e.RATE_LIMIT_CHAT_PER_MIN,
      perHour: e.RATE_LIMIT_CHAT_PER_HOUR,
      concurrentStreams: e.CHAT_MAX_CONCURRENT_STREAMS,
      dailyTokens: e.CHAT_DAILY_TOKEN_BUDGET,
    });
  } catch (error) {
    if (error instanceof PlanTableError) throw new ConfigError("RATE_LIMIT_PLANS", error.message);
    throw error;
  }
}

function modelTable(e: Env): ModelTable | null {
  try {
    const plans = Object.keys(planTable(e));
    const models = parseModelTable(e.CHAT_MODELS, plans, []);
    // The least a message reserves: the prompt's estimate with no history and an empty message, plus the cap.
    const oneMessage = estimatePromptTokens(0, 0) + e.CHAT_MAX_OUTPUT_TOKENS;
    const why = `the system prompt's estimate + CHAT_MAX_OUTPUT_TOKENS ${e.CHAT_MAX_OUTPUT_TOKENS}`;
    checkTokenCapacity(models, oneMessage, why);
    return models.length > 0 ? models : null;
  } catch (error) {
    if (error instanceof ModelTableError) throw new ConfigError("CHAT_MODELS", error.message);
    throw error;
  }
}

/** A provider is on when its id and secret are both set; one without the other is a start-up error. */
function signInProviders(e: Env): SignInProviderConfig[] {
  const pair = (idVar: keyof Env, secretVar: keyof Env): [string, string] | null => {
    const id = e[idVar] as string | undefined;
    const secret = e[secretVar] as string | undefined;
    if (!id && !secret) return null;
    if (!id) throw new ConfigError(idVar, `is required with ${secretVar}`);
    if (!secret) throw new ConfigError(secretVar, `is required with ${idVar}`);
    return [id, secret];
  };
  const providers: SignInProviderConfig[] = [];
  const oidc = pair("AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET");
  if (oidc && !e.AUTH_OIDC_ISSUER)
    throw new ConfigError("AUTH_OIDC_ISSUER", "is required with AUTH_OIDC_CLIENT_ID");
  if (!oidc && e.AUTH_OIDC_ISSUER)
    throw new ConfigError("AUTH_OIDC_CLIENT_ID", "is required with AUTH_OIDC_ISSUER");
  if (oidc && e.AUTH_OIDC_ISSUER) {
    const [clientId, clientSecret] = oidc;
    const name = e.AUTH_OIDC_NAME ?? "Single sign-on";
    providers.push({ id: "oidc", name, issuer: e.AUTH_OIDC_ISSUER, clientId, clientSecret });
  }
  const github = pair("AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET");
  if (github) providers.push({ id: "github", name: "GitHub", clientId: github[0], clientSecret: github[1] });
  const google = pair("AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET");
  if (google) providers.push({ id: "google", name: "Google", clientId: google[0], clientSecret: google[1] });
  return providers;
}

/** The process-wide config, parsed from process.env on first use. */
export function getConfig(): Config {
  return processState("config", () => {
    // Blank means unset (a copied .env.example has many `NAME=` lines). Provider SDKs read some of these
    // names from process.env themselves and reject an empty string (OPENAI_BASE_URL), so drop them here.
    for (const name of ENV_VARIABLES) {
      if (process.env[name]?.trim() === "") delete process.env[name];
    }
    // APP_BUILD_COMMIT is named literally so Next inlines the value next.config.ts computed at build time.
    return parseConfig({ ...process.env, APP_BUILD_COMMIT: process.env.APP_BUILD_COMMIT });
  });
}

/** Tests only: forget the config and everything built from it, so a changed process.env is read again. */
export function resetConfigForTests(): void {
  resetProcessStateForTests();
}
