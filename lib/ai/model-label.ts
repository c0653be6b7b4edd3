// Which provider and model id the config selects, and its label: no provider SDK imported, so start-up can log it.
import type { Config } from "@/lib/config";
import type { Health } from "@/lib/wire/types";
import { OFFLINE_MODEL_ID } from "./offline-model";

export type AiConfig = Config["ai"];
export type ChatProvider = Health["provider"];

export const DEFAULT_MODEL_IDS = {
  gateway: "openai/gpt-5-mini",
  openai: "gpt-5-mini",
  // Ollama's usual small default; vLLM / llama.cpp users set AI_MODEL to whatever they serve.
  "openai-compatible": "llama3.2",
} as const;

export interface ChatModelChoice {
  /** The model id as configured (AI_MODEL or the provider's default). */
  id: string;
  provider: ChatProvider;
  /** Human label for UI, health checks and logs; never contains keys or hostnames. */
  label: string;
}

/** AI_GATEWAY_API_KEY > OPENAI_BASE_URL > OPENAI_API_KEY > offline (lib/ai/model.ts builds the model itself). */
export function chooseChatModel(ai: AiConfig): ChatModelChoice {
  if (ai.gatewayApiKey) {
    const id = ai.model ?? DEFAULT_MODEL_IDS.gateway;
    return { id, provider: "gateway", label: `${id} via AI Gateway` };
  }
  if (ai.openaiBaseUrl) {
    const id = ai.model ?? DEFAULT_MODEL_IDS["openai-compatible"];
    return { id, provider: "openai-compatible", label: `${id} via OpenAI-compatible API` };
  }
  if (ai.openaiApiKey) {
    const id = ai.model ?? DEFAULT_MODEL_IDS.openai;
    return { id, provider: "openai", label: `${id} via OpenAI` };
  }
  return { id: OFFLINE_MODEL_ID, provider: "offline", label: "Offline demo model" };
}

/** The model a message gets by default (CHAT_MODELS' first row, else the configured one): services().model. */
export function defaultChatModel(config: Pick<Config, "ai" | "models">): ChatModelChoice {
  const first = config.models?.[0];
  return chooseChatModel(first ? { ...config.ai, model: first.model } : config.ai);
}
