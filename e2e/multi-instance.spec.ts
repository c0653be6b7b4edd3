// Three `next start` instances share one Redis: 60 concurrent requests from one user admit exactly the limit.

import { type AppServer, startApp } from "../test/support/app-server";
import { expect, postChat, test } from "../test/support/e2e";
import { type RedisStack, startRedisStack } from "../test/support/redis";
import { roomInWindow } from "../test/support/windows";

test.describe("limits across instances", () => {
  let stack: RedisStack;
  const apps: AppServer[] = [];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    stack = await startRedisStack();
    const env = {
      UPSTASH_REDIS_REST_URL: stack.restUrl,
      UPSTASH_REDIS_REST_TOKEN: stack.restToken,
      AUTH_DEV_SIGNIN: "true",
      CHAT_MAX_CONCURRENT_STREAMS: "0",
      OFFLINE_MODEL_DELAY_MS: "0",
    };
    apps.push(...(await Promise.all([startApp(env), startApp(env), startApp(env)])));
  });

  test.afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await stack?.stop();
  });

  test("60 concurrent same-user requests over 3 instances: exactly 5 admitted, 55 refused", async ({
    request,
  }) => {
    const signin = await request.post(`${apps[0]?.url}/api/auth/dev-signin`, {
      data: { name: "Multi Instance" },
    });
    expect(signin.status()).toBe(200);
    const cookie = /chat_session=[^;]+/.exec(signin.headers()["set-cookie"] ?? "")?.[0];
    expect(cookie).toBeTruthy();

    await roomInWindow(60, 15_000);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const app = apps[i % apps.length] as AppServer;
        const res = await postChat(app, `198.51.100.${i % 200}`, {
          text: `hello ${i}`,
          headers: { cookie: cookie as string },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 429).length;
    expect({ admitted, refused, other: 60 - admitted - refused }).toEqual({
      admitted: 5,
      refused: 55,
      other: 0,
    });
  });
});
