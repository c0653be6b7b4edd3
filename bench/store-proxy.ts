// A pass-through in front of the Upstash-compatible REST endpoint that records every HTTP call the app makes
// (path, commands, whether they touch rate-limit keys) and can hold each call for a fixed delay first.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { sleep } from "./harness";

/** One HTTP call the app made to the REST endpoint. */
export interface RestCall {
  path: string;
  /** Command names in the call (one for `/`, several for `/pipeline` and `/multi-exec`). */
  commands: string[];
  /** How many of them touch a rate-limit key (`rl:chat:*`). */
  limiterCommands: number;
  /** performance.now() when the call's body had arrived (this process's clock). */
  at: number;
  /** How long the proxy actually held the call before forwarding it (ms; ≥ the delay set, timers overshoot). */
  heldMs: number;
}

export interface StoreProxy {
  url: string;
  /** Every call so far, in arrival order. */
  calls: RestCall[];
  /** Holds every later call (single command, `/pipeline` or `/multi-exec` alike) this long before forwarding it. */
  setDelay(ms: number): void;
  /** Calls received and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

const LIMITER_KEY_PREFIX = "rl:chat:";

function classify(path: string, body: string): Omit<RestCall, "at" | "heldMs"> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = [];
  }
  const list: unknown[][] =
    path === "/"
      ? [Array.isArray(parsed) ? parsed : []]
      : Array.isArray(parsed)
        ? (parsed as unknown[][])
        : [];
  const commands = list.map((cmd) => String(cmd[0] ?? "?").toUpperCase());
  const limiterCommands = list.filter((cmd) =>
    cmd.some((arg) => typeof arg === "string" && arg.startsWith(LIMITER_KEY_PREFIX)),
  ).length;
  return { path, commands, limiterCommands };
}

export async function startStoreProxy(target: string): Promise<StoreProxy> {
  const targetUrl = new URL(target);
  const calls: RestCall[] = [];
  let delayMs = 0;
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const call: RestCall = { ...classify(path, body.toString("utf8")), at: performance.now(), heldMs: 0 };
      calls.push(call);
      const forward = () => {
        const upstream = httpRequest(
          {
            host: targetUrl.hostname,
            port: targetUrl.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: targetUrl.host, "content-length": String(body.length) },
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on("error", () => {
          res.writeHead(502).end();
        });
        upstream.end(body);
      };
      if (delayMs <= 0) return forward();
      const heldFrom = performance.now();
      setTimeout(() => {
        call.heldMs = performance.now() - heldFrom;
        forward();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setDelay: (ms) => {
      delayMs = ms;
    },
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Waits until the app has stopped calling the store (background persistence after a reply): nothing in flight
 * and no new call for `quietMs`, at most `maxMs`. Returns false if the calls never stopped.
 */
export async function settle(proxy: StoreProxy, quietMs = 400, maxMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let seen = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (proxy.calls.length !== seen || proxy.inFlight() > 0) {
      seen = proxy.calls.length;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return true;
    await sleep(Math.min(50, quietMs / 4));
  }
  return false;
}

/** A call's shape: its path and its commands, e.g. "/pipeline [EVALSHA, EVALSHA]". */
export function shapeOf(call: Pick<RestCall, "path" | "commands">): string {
  return `${call.path} [${call.commands.join(", ")}]`;
}

/** Calls grouped by shape (`shapeOf`) → how many. */
export function shapes(calls: RestCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const key = shapeOf(c);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
