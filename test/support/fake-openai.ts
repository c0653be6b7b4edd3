// A local node:http server speaking OpenAI chat-completions (SSE + JSON) so provider code is tested over real HTTP.
//
// const fake = await startFakeOpenAI({ reply: "Hi there", chunkDelayMs: 20 });
// createOpenAICompatible({ name: "x", baseURL: fake.baseURL, apiKey: "k", includeUsage: true })
//
// - fake.baseURL            "http://127.0.0.1:<port>/v1"; serves POST /v1/chat/completions and GET /v1/models.
// - fake.requests           every request received: { method, path, body (parsed JSON), headers (lower-case) }.
// - fake.set(partialOpts)   change reply / delay / status (+ errorHeaders) / dropAfterChunks / held for later
//                           requests.
// - fake.release(n)         with `held: true`, lets n more content chunks out (across all streams, in order);
//                           a test paces a reply by what it has seen, never by the clock.
// - fake.aborted()          how many streams the client disconnected from before the last chunk.
// - fake.waitForAbort(ms)   resolves with the next not-yet-awaited disconnect { at: Date.now(), chunksSent },
//                           rejects after ms; compare `at` with your own abort timestamp.
// - fake.close()            stops the server and destroys open connections.
// - replyLikeOfflineModel   a `reply` that answers what the offline demo model would (Markdown and all).
// Only the Chat Completions protocol is spoken (not the Responses API): use `openai.chat(id)`.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { offlineReply } from "../../lib/ai/offline-reply";

export interface ChatCompletionBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role: string; content: unknown }>;
  [key: string]: unknown;
}

/** A `reply` answering the last user message the way the offline demo model does, so e2e text stays the same. */
export function replyLikeOfflineModel(body: ChatCompletionBody): string {
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  return offlineReply([{ role: "user", content: [{ type: "text", text: String(lastUser?.content ?? "") }] }]);
}

export interface FakeOpenAIOptions {
  reply?: string | ((body: ChatCompletionBody) => string);
  /** Pause before each streamed chunk after the first. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead of a completion. */
  status?: number;
  /** Extra headers of that error answer, e.g. `{ "retry-after": "7" }` with a 429. */
  errorHeaders?: Record<string, string>;
  /** Destroy the connection after this many content chunks (simulates an upstream crash). */
  dropAfterChunks?: number;
  /** Each content chunk after the first waits for a `release()`; `set({ held: false })` lets the rest flow. */
  held?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  body: ChatCompletionBody | undefined;
  headers: Record<string, string | undefined>;
}

export interface FakeAbort {
  at: number;
  chunksSent: number;
}

export interface FakeOpenAI {
  baseURL: string;
  requests: FakeRequest[];
  set(options: Partial<FakeOpenAIOptions>): void;
  release(chunks: number): void;
  aborted(): number;
  waitForAbort(timeoutMs?: number): Promise<FakeAbort>;
  close(): Promise<void>;
}

const MODEL_FALLBACK = "fake-model";

function words(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

async function readBody(req: IncomingMessage): Promise<ChatCompletionBody | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as ChatCompletionBody;
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export async function startFakeOpenAI(initial: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const opts: FakeOpenAIOptions = { ...initial };
  const requests: FakeRequest[] = [];
  const aborts: FakeAbort[] = [];
  const waiters: Array<(a: FakeAbort) => void> = [];
  let awaited = 0;
  let seq = 0;
  let permits = 0;
  let wakeHeld: Array<() => void> = [];
  const wake = () => {
    const waiting = wakeHeld;
    wakeHeld = [];
    for (const resolve of waiting) resolve();
  };
  /** Resolves when this chunk may go: at once unless held, else when a permit is released (or holding ends). */
  const mayGo = async (res: ServerResponse) => {
    while (opts.held && permits === 0 && !res.destroyed) await new Promise<void>((r) => wakeHeld.push(r));
    if (opts.held && permits > 0) permits--;
  };

  const recordAbort = (abort: FakeAbort) => {
    aborts.push(abort);
    const waiter = waiters.shift();
    if (waiter) {
      awaited++;
      waiter(abort);
    }
  };

  const json = (
    res: ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { ...headers, "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const body = await readBody(req);
    requests.push({ method: req.method ?? "GET", path, body, headers: flatHeaders(req) });
    if (req.method === "GET" && path === "/v1/models") {
      return json(res, 200, { object: "list", data: [{ id: MODEL_FALLBACK, object: "model" }] });
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions" || !body) {
      return json(res, 404, { error: { message: `No route for ${req.method} ${path}`, type: "not_found" } });
    }
    if (opts.status !== undefined && opts.status >= 400) {
      const error = { message: "Fake upstream failure", type: "server_error" };
      return json(res, opts.status, { error }, opts.errorHeaders);
    }
    const text = typeof opts.reply === "function" ? opts.reply(body) : (opts.reply ?? "Hello from the fake.");
    const tokens = words(text);
    const id = `chatcmpl-fake-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? MODEL_FALLBACK;
    const promptTokens = Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 4));
    const usage = { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: 0 };
    usage.total_tokens = promptTokens + tokens.length;

    if (!body.stream) {
      return json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage,
      });
    }

    let finished = false;
    let sent = 0;
    res.on("close", () => {
      if (!finished) recordAbort({ at: Date.now(), chunksSent: sent });
      wake(); // a held chunk of a closed stream stops waiting
    });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    // Resolves once the bytes are handed to the socket: a drop must not overtake chunks already "sent".
    let lastWrite: Promise<void> = Promise.resolve();
    const send = (payload: unknown) => {
      lastWrite = new Promise<void>((resolve) => {
        res.write(`data: ${JSON.stringify(payload)}\n\n`, () => resolve());
      });
    };
    const chunk = (delta: object, finishReason: string | null = null) =>
      send({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      });

    for (const [i, token] of tokens.entries()) {
      if (i > 0 && (opts.chunkDelayMs ?? 0) > 0) await new Promise((r) => setTimeout(r, opts.chunkDelayMs));
      if (i > 0) await mayGo(res);
      if (res.destroyed) return;
      if (opts.dropAfterChunks !== undefined && sent >= opts.dropAfterChunks) {
        finished = true; // a server-side drop is not a client disconnect
        // Cut the connection mid-body (no terminating chunk) only after the chunks before it left: since
        // Node 24.22, http batches a tick's chunked writes and drops them if the socket ends in that tick.
        await lastWrite;
        res.socket?.destroySoon();
        return;
      }
      chunk(i === 0 ? { role: "assistant", content: token } : { content: token });
      sent++;
    }
    if (res.destroyed) return;
    chunk({}, "stop");
    if (body.stream_options?.include_usage) {
      send({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
    }
    finished = true;
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(error), type: "server_error" } });
      else res.destroy();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    set: (next) => {
      Object.assign(opts, next);
      // A hold starts from nothing: permits left over from an earlier hold would let words out unasked.
      if ("held" in next) permits = 0;
      wake();
    },
    release: (chunks) => {
      permits += chunks;
      wake();
    },
    aborted: () => aborts.length,
    waitForAbort(timeoutMs = 2_000) {
      const ready = aborts[awaited];
      if (ready) {
        awaited++;
        return Promise.resolve(ready);
      }
      return new Promise<FakeAbort>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(onAbort), 1);
          reject(new Error(`fake-openai: no client disconnect within ${timeoutMs} ms`));
        }, timeoutMs);
        const onAbort = (a: FakeAbort) => {
          clearTimeout(timer);
          resolve(a);
        };
        waiters.push(onAbort);
      });
    },
    async close() {
      opts.held = false;
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
