// Upstash-compatible Redis REST endpoint (POST /, /pipeline, /multi-exec) on node:http in front of real Redis.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Outcome, RedisBackend } from "./backend";
import { encodeResult, errorBody, HttpError, parseBatch, parseSingle } from "./protocol";

export interface RedisRestServerOptions {
  /** e.g. `redis://127.0.0.1:6379` */
  redisUrl: string;
  /** Clients must send `Authorization: Bearer <token>` (or `?_token=<token>`). */
  token: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Larger request bodies get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** How long start waits for the first Redis connection before serving anyway (503s). Default 3000. */
  waitForRedisMs?: number;
  /** Receives state changes (Redis lost/restored) and unexpected errors. Default: silent. */
  log?: (line: string) => void;
}

export interface RedisRestServer {
  /** Base URL for `new Redis({ url })`, e.g. `http://127.0.0.1:8079`. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const UNAUTHORIZED = errorBody("Unauthorized");

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.reject(new HttpError(413, `ERR request body exceeds ${max} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        reject(new HttpError(413, `ERR request body exceeds ${max} bytes`));
      } else chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"),
      ),
    );
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new HttpError(400, "ERR request aborted"));
    });
  });
}

function outcomeJson(o: Outcome, base64: boolean): { result: unknown } | { error: string } {
  return o.ok ? { result: encodeResult(o.value, base64) } : { error: o.error };
}

export async function startRedisRestServer(opts: RedisRestServerOptions): Promise<RedisRestServer> {
  const log = opts.log ?? (() => {});
  const maxBody = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  const expectedAuth = `Bearer ${opts.token}`;
  const backend = new RedisBackend({ redisUrl: opts.redisUrl, log });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    if (req.headers.authorization !== expectedAuth) {
      const queryToken = q === -1 ? null : new URLSearchParams(rawUrl.slice(q + 1)).get("_token");
      if (queryToken !== opts.token) return send(res, 401, UNAUTHORIZED);
    }
    const kind = path === "/" ? 0 : path === "/pipeline" ? 1 : path === "/multi-exec" ? 2 : -1;
    if (kind === -1) return send(res, 404, errorBody(`ERR unknown route ${req.method} ${path}`));
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return send(res, 405, errorBody(`ERR method ${req.method} not allowed, use POST`));
    }
    const base64 = req.headers["upstash-encoding"] === "base64";
    const body = await readBody(req, maxBody);
    if (kind === 0) {
      const outcome = await backend.exec(parseSingle(body));
      return outcome.ok
        ? send(res, 200, JSON.stringify({ result: encodeResult(outcome.value, base64) }))
        : send(res, 400, errorBody(outcome.error));
    }
    const commands = parseBatch(body);
    const outcomes = kind === 1 ? await backend.pipeline(commands) : await backend.multiExec(commands);
    send(res, 200, JSON.stringify(outcomes.map((o) => outcomeJson(o, base64))));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (err instanceof HttpError) {
        if (err.status === 413) res.setHeader("Connection", "close");
        return send(res, err.status, errorBody(err.message));
      }
      log(`redis-rest: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      send(res, 500, errorBody("ERR internal error"));
    });
  });
  // @upstash/redis goes through fetch (undici), which reuses keep-alive connections.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  const connecting = backend.connect().catch((err: unknown) => {
    log(`redis-rest: could not connect to Redis: ${err instanceof Error ? err.message : String(err)}`);
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([connecting, new Promise((r) => (timer = setTimeout(r, opts.waitForRedisMs ?? 3000)))]);
  clearTimeout(timer);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    backend.close();
    throw err;
  }
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    token: opts.token,
    close: () =>
      new Promise<void>((resolve) => {
        backend.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
