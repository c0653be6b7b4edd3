// Integration tests: auth, bad input, routing, body cap, blocking commands and Redis outages.
import { request } from "node:http";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisStack, startRedisServer, startRedisStack } from "../../test/support/redis";
import { getFreePort } from "./redis-server";
import { startRedisRestServer } from "./server";

let stack: RedisStack;

beforeAll(async () => {
  stack = await startRedisStack();
});
afterAll(() => stack?.stop());

async function call(
  path: string,
  body: string | undefined,
  opts: { method?: string; token?: string | null; url?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? stack.restToken}`;
  const res = await fetch(`${opts.url ?? stack.restUrl}${path}`, {
    method: opts.method ?? "POST",
    headers,
    body,
  });
  expect(res.headers.get("content-type")).toBe("application/json");
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("auth", () => {
  it("rejects a missing or wrong token with 401 JSON", async () => {
    expect(await call("/", '["PING"]', { token: null })).toEqual({
      status: 401,
      json: { error: "Unauthorized" },
    });
    expect((await call("/pipeline", '[["PING"]]', { token: "nope" })).status).toBe(401);
    expect((await call("/", '["PING"]')).json).toEqual({ result: "PONG" });
    const wrong = new Redis({ url: stack.restUrl, token: "wrong", retry: false });
    await expect(wrong.get("x")).rejects.toThrow(/Unauthorized/);
  });

  it("also accepts the token as ?_token=", async () => {
    expect((await call(`/?_token=${stack.restToken}`, '["PING"]', { token: null })).status).toBe(200);
  });
});

describe("bad input", () => {
  it.each([
    ["/", "{not json"],
    ["/", '{"cmd":"GET"}'],
    ["/", "[]"],
    ["/", '"GET"'],
    ["/", "[null]"],
    ["/", '["SET","k",{"a":1}]'],
    ["/", '["GET",["k"]]'],
    ["/", '[""]'],
    ["/pipeline", "[]"],
    ["/pipeline", '["GET","k"]'],
    ["/multi-exec", '[["SET","k","v"],[]]'],
    ["/", ""],
  ])("%s %s -> 400 JSON error", async (path, body) => {
    const { status, json } = await call(path, body);
    expect(status).toBe(400);
    expect(json.error).toMatch(/^ERR /);
  });

  it("passes Redis errors through as 400 {error}", async () => {
    expect(await call("/", '["NOSUCHCMD","x"]')).toMatchObject({
      status: 400,
      json: { error: /^ERR unknown command/ },
    });
    expect(await call("/", '["GET"]')).toMatchObject({
      status: 400,
      json: { error: /wrong number of arguments/ },
    });
    expect(await call("/", '["SELECT","1"]')).toMatchObject({
      status: 400,
      json: { error: /not supported/ },
    });
    expect((await call("/multi-exec", '[["MULTI"]]')).status).toBe(400);
    expect(await call("/pipeline", '[["PING"],["SELECT","1"],["PING"]]')).toEqual({
      status: 200,
      json: [{ result: "PONG" }, { error: expect.stringMatching(/not supported/) }, { result: "PONG" }],
    });
  });

  it("404 for unknown routes, 405 for other methods", async () => {
    expect((await call("/set/foo/bar", undefined)).status).toBe(404);
    expect((await call("/", undefined, { method: "GET" })).status).toBe(405);
    expect((await call("/pipeline", '[["PING"]]', { method: "PUT" })).status).toBe(405);
  });

  it("answers 413 to bodies over 10 MB and keeps serving", async () => {
    const big = JSON.stringify(["SET", "big", "x".repeat(10 * 1024 * 1024 + 1)]);
    const res = await fetch(stack.restUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${stack.restToken}` },
      body: big,
    }).catch((err: unknown) => err);
    // Undici may see the connection close before reading the 413; either way nothing was stored.
    if (res instanceof Response) expect(res.status).toBe(413);
    else expect(res).toBeInstanceOf(TypeError); // "fetch failed" (connection closed by the server)
    expect((await call("/", '["EXISTS","big"]')).json).toEqual({ result: 0 });
  });
});

describe("connections", () => {
  it("keeps HTTP connections alive", async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(stack.restUrl, {
        method: "POST",
        headers: { Authorization: `Bearer ${stack.restToken}` },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.headers);
      });
      req.on("error", reject);
      req.end('["PING"]');
    });
    expect(headers.connection).toBe("keep-alive");
  });

  it("runs blocking commands on their own connection", async () => {
    const blpop = call("/", '["BLPOP","queue","5"]');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    expect((await call("/", '["LPUSH","queue","job"]')).json).toEqual({ result: 1 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((await blpop).json).toEqual({ result: ["queue", "job"] }); // no Upstash-Encoding: plain JSON
  });
});

describe("Redis outages", () => {
  it("answers 503 JSON quickly while Redis is down and recovers without a restart", async () => {
    const redis = new Redis({ url: stack.restUrl, token: stack.restToken, retry: false });
    expect(await redis.set("before", "1")).toBe("OK");
    await stack.stopRedis();
    const t0 = performance.now();
    const down = await call("/", '["GET","before"]');
    expect(down.status).toBe(503);
    expect(down.json.error).toMatch(/Redis is unavailable/);
    expect((await call("/pipeline", '[["PING"]]')).status).toBe(503);
    expect((await call("/multi-exec", '[["PING"]]')).status).toBe(503);
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(redis.get("before")).rejects.toThrow(/unavailable/);

    await stack.startRedis();
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await call("/", '["PING"]')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    expect(await redis.set("after", "2")).toBe("OK");
    expect(await redis.get("after")).toBe(2);
  });

  it("starts while Redis is down and connects once it comes up", async () => {
    const port = await getFreePort();
    const rest = await startRedisRestServer({
      redisUrl: `redis://127.0.0.1:${port}`,
      token: "t",
      waitForRedisMs: 50,
    });
    try {
      expect((await call("/", '["PING"]', { url: rest.url, token: "t" })).status).toBe(503);
      const server = await startRedisServer({ port });
      try {
        const deadline = Date.now() + 5000;
        let status = 0;
        while (Date.now() < deadline && status !== 200) {
          status = (await call("/", '["PING"]', { url: rest.url, token: "t" })).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 50));
        }
        expect(status).toBe(200);
      } finally {
        await server.stop();
      }
    } finally {
      await rest.close();
    }
  });
});
