// Integration tests: the real @upstash/redis client (single requests and auto-pipelining) against the endpoint.
import { Redis } from "@upstash/redis";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpRedisFixture } from "@/test/support/redis-fixture";
import { sha1 } from "./scripts";

const fx = setUpRedisFixture();

const post = (path: string, body: unknown) => fx.post(path, body);

// @upstash/redis 1.39 auto-pipelines by default (every command goes through POST /pipeline);
// with it off, each command is its own POST /. Run everything both ways.
describe.each([false, true])("enableAutoPipelining: %s", (auto) => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis({
      url: fx.stack.restUrl,
      token: fx.stack.restToken,
      retry: false,
      enableAutoPipelining: auto,
    });
  });

  describe("basic commands", () => {
    it("GET / SET with EX and NX / INCR / EXPIRE / DEL", async () => {
      expect(await redis.set("k", "v")).toBe("OK");
      expect(await redis.get("k")).toBe("v");
      expect(await redis.set("k", "w", { nx: true })).toBeNull();
      expect(await redis.get("k")).toBe("v");
      expect(await redis.set("e", "x", { ex: 100 })).toBe("OK");
      expect(await fx.direct.ttl("e")).toBeGreaterThan(90);
      expect(await redis.incr("n")).toBe(1);
      expect(await redis.incrby("n", 5)).toBe(6);
      expect(await redis.expire("n", 50)).toBe(1);
      expect(await redis.ttl("n")).toBeGreaterThan(40);
      expect(await redis.del("k", "n", "missing")).toBe(2);
      expect(await redis.get("k")).toBeNull();
      await expect(redis.incr("e")).rejects.toThrow(/ERR value is not an integer/);
    });

    it("HSET / HGETALL and ZADD / ZRANGE with scores", async () => {
      expect(await redis.hset("h", { a: "x", b: 2 })).toBe(2);
      expect(await redis.hgetall("h")).toEqual({ a: "x", b: 2 });
      expect(await redis.hgetall("nope")).toBeNull();
      expect(
        await redis.zadd(
          "z",
          { score: 10, member: "c" },
          { score: 1, member: "a" },
          { score: 2.5, member: "b" },
        ),
      ).toBe(3);
      expect(await redis.zrange("z", 0, -1, { withScores: true })).toEqual(["a", 1, "b", 2.5, "c", 10]);
      expect(await redis.zrange("z", 0, -1)).toEqual(["a", "b", "c"]);
    });

    it("sends status OK verbatim and bulk strings base64-encoded", async () => {
      expect(await (await post("/", ["SET", "s", "OK"])).json()).toEqual({ result: "OK" });
      expect(await (await post("/", ["GET", "s"])).json()).toEqual({
        result: Buffer.from("OK").toString("base64"),
      });
      expect(await (await post("/", ["TYPE", "s"])).json()).toEqual({
        result: Buffer.from("string").toString("base64"),
      });
    });
  });

  describe("scripts", () => {
    const flagged = "#!lua flags=allow-key-locking\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])";

    it("EVAL returns nested arrays, strings and numbers", async () => {
      expect(await redis.eval("return {KEYS[1], ARGV[1], 42, {'x'}}", ["k1"], ["a1"])).toEqual([
        "k1",
        "a1",
        42,
        ["x"],
      ]);
    });

    it("EVAL of a script with allow-key-locking works on stock Redis", async () => {
      expect(await redis.eval(flagged, ["c"], [3])).toBe(3);
      await expect(fx.direct.sendCommand(["EVAL", flagged, "1", "c", "1"])).rejects.toThrow(
        /allow-key-locking/,
      );
    });

    it("SCRIPT LOAD returns the client's SHA1 and EVALSHA / SCRIPT EXISTS accept it", async () => {
      const sha = await redis.scriptLoad(flagged);
      expect(sha).toBe(sha1(flagged));
      expect(await redis.scriptExists(sha)).toEqual([1]);
      expect(await redis.evalsha(sha, ["c"], [2])).toBe(2);
      expect(await redis.evalsha(sha, ["c"], [2])).toBe(4);
      expect(
        await fx.direct.scriptExists(sha1("#!lua\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")),
      ).toEqual([1]);
      await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
    });
  });

  describe("values and encodings", () => {
    const values = [
      "emoji 😀🚀 ünïcødé 漢字",
      "nul\u0000in\u0000the middle",
      "high \u00ff\u00fe\u0080\u0100 bytes",
      " ",
    ];

    it("round-trips unicode, NUL and high code points in keys and values", async () => {
      for (const [i, v] of values.entries()) {
        const key = `k:😀:${i}`;
        expect(await redis.set(key, v)).toBe("OK");
        expect(await redis.get(key)).toBe(v);
        expect(await fx.direct.get(key)).toBe(v);
      }
      expect(await redis.mget(...values.map((_, i) => `k:😀:${i}`), "missing")).toEqual([...values, null]);
    });

    it("returns arbitrary binary bulk strings byte-exact (base64)", async () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0a, 0xc3]);
      await fx.direct.set("bin", bytes);
      const body = (await (await post("/", ["GET", "bin"])).json()) as { result: string };
      expect(Buffer.from(body.result, "base64")).toEqual(bytes);
      const arr = (await (await post("/", ["MGET", "bin", "none"])).json()) as { result: [string, null] };
      expect(Buffer.from(arr.result[0], "base64")).toEqual(bytes);
      expect(arr.result[1]).toBeNull();
    });

    it("works without base64 (responseEncoding: false)", async () => {
      const plain = new Redis({ url: fx.stack.restUrl, token: fx.stack.restToken, responseEncoding: false });
      await plain.set("p", values[0]);
      expect(await plain.get("p")).toBe(values[0]);
      expect(await plain.zadd("pz", { score: 1, member: "a" })).toBe(1);
    });
  });
});
