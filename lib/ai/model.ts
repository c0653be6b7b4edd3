// Picks the chat model from config: AI Gateway, an OpenAI-compatible server, OpenAI, or the offline demo model.
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createGateway } from "ai";
import type { Config } from "@/lib/config";
import type { Health } from "@/lib/wire/types";
import { OFFLINE_MODEL_ID, OfflineChatModel } from "./offline-model";

export type AiConfig = Config["ai"];
export type ChatProvider = Health["provider"];

export interface ChatModelInfo {
  /** A provider model; assignable to `LanguageModel` wherever `ai` functions take one. */
  model: LanguageModelV4;
  /** The model id as configured (AI_MODEL or the provider's default). */
  id: string;
  provider: ChatProvider;
  /** Human label for UI, health checks and logs; never contains keys or hostnames. */
  label: string;
}

export interface SelectOptions {
  /** Replaces the providers' fetch; tests use it to point the default OpenAI URL at a local fake. */
  fetch?: typeof globalThis.fetch;
  /** A CHAT_MODELS row this model answers for: the offline demo model says so in its reply. */
  answeredBy?: { label: string; model: string };
}

const OPENAI_API_URL = "https://api.openai.com/v1";

export const DEFAULT_MODEL_IDS = {
  gateway: "openai/gpt-5-mini",
  openai: "gpt-5-mini",
  // Ollama's usual small default; vLLM / llama.cpp users set AI_MODEL to whatever they serve.
  "openai-compatible": "llama3.2",
} as const;

/** Pure selection (no caching, no process.env): AI_GATEWAY_API_KEY > OPENAI_BASE_URL > OPENAI_API_KEY > offline. */
export function selectChatModel(ai: AiConfig, options: SelectOptions = {}): ChatModelInfo {
  const { fetch } = options;
  if (ai.gatewayApiKey) {
    const id = ai.model ?? DEFAULT_MODEL_IDS.gateway;
    const gateway = createGateway({ apiKey: ai.gatewayApiKey, fetch });
    return { model: gateway(id), id, provider: "gateway", label: `${id} via AI Gateway` };
  }
  if (ai.openaiBaseUrl) {
    const id = ai.model ?? DEFAULT_MODEL_IDS["openai-compatible"];
    const compatible = createOpenAICompatible({
      name: "openai-compatible",
      baseURL: ai.openaiBaseUrl.replace(/\/+$/, ""),
      apiKey: ai.openaiApiKey,
      includeUsage: true,
      fetch,
    });
    return {
      model: compatible.chatModel(id),
      id,
      provider: "openai-compatible",
      label: `${id} via OpenAI-compatible API`,
    };
  }
  if (ai.openaiApiKey) {
    const id = ai.model ?? DEFAULT_MODEL_IDS.openai;
    // Chat Completions, not the default Responses API: we resend our own stored history every turn,
    // so the stateless API fits, and it is the same wire protocol as the OpenAI-compatible path.
    // baseURL is explicit because createOpenAI would otherwise read process.env.OPENAI_BASE_URL itself.
    const openai = createOpenAI({ apiKey: ai.openaiApiKey, baseURL: OPENAI_API_URL, fetch });
    return { model: openai.chat(id), id, provider: "openai", label: `${id} via OpenAI` };
  }
  const { answeredBy } = options;
  return {
    model: new OfflineChatModel({
      delayMs: ai.offlineDelayMs,
      answeredAs: answeredBy && `${answeredBy.label} (${answeredBy.model})`,
    }),
    id: OFFLINE_MODEL_ID,
    provider: "offline",
    label: "Offline demo model",
  };
}

/** The model for conversation titles: the chat model itself, or null offline (use the heuristic title). */
export function titleModelOf(info: ChatModelInfo): ChatModelInfo | null {
  return info.provider === "offline" ? null : info;
}
