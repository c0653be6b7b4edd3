// Picks the chat model from config: AI Gateway, an OpenAI-compatible server, OpenAI, or the offline demo model.
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createGateway } from "ai";
import { type AiConfig, type ChatModelChoice, chooseChatModel } from "./model-label";
import { OfflineChatModel } from "./offline-model";

export interface ChatModelInfo extends ChatModelChoice {
  /** A provider model; assignable to `LanguageModel` wherever `ai` functions take one. */
  model: LanguageModelV4;
}

export interface SelectOptions {
  /** Replaces the providers' fetch; tests use it to point the default OpenAI URL at a local fake. */
  fetch?: typeof globalThis.fetch;
  /** A CHAT_MODELS row this model answers for: the offline demo model says so in its reply. */
  answeredBy?: { label: string; model: string };
}

const OPENAI_API_URL = "https://api.openai.com/v1";

/** Pure selection (no caching, no process.env): the provider and id chooseChatModel picks, built. */
export function selectChatModel(ai: AiConfig, options: SelectOptions = {}): ChatModelInfo {
  const { fetch, answeredBy } = options;
  const choice = chooseChatModel(ai);
  switch (choice.provider) {
    case "gateway":
      return { ...choice, model: createGateway({ apiKey: ai.gatewayApiKey, fetch })(choice.id) };
    case "openai-compatible": {
      const compatible = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: (ai.openaiBaseUrl ?? "").replace(/\/+$/, ""),
        apiKey: ai.openaiApiKey,
        includeUsage: true,
        fetch,
      });
      return { ...choice, model: compatible.chatModel(choice.id) };
    }
    case "openai": {
      // Chat Completions, not the default Responses API: we resend our own stored history every turn,
      // so the stateless API fits, and it is the same wire protocol as the OpenAI-compatible path.
      // baseURL is explicit because createOpenAI would otherwise read process.env.OPENAI_BASE_URL itself.
      const openai = createOpenAI({ apiKey: ai.openaiApiKey, baseURL: OPENAI_API_URL, fetch });
      return { ...choice, model: openai.chat(choice.id) };
    }
    default:
      return {
        ...choice,
        model: new OfflineChatModel({
          delayMs: ai.offlineDelayMs,
          answeredAs: answeredBy && `${answeredBy.label} (${answeredBy.model})`,
        }),
      };
  }
}

/** The model for conversation titles: the chat model itself, or null offline (use the heuristic title). */
export function titleModelOf(info: ChatModelInfo): ChatModelInfo | null {
  return info.provider === "offline" ? null : info;
}
