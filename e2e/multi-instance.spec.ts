// Three `next start` instances share one Redis: 60 concurrent requests from one user admit exactly the limit.

import type { AppServer } from "../test/support/app-server";
import { expect, postChat, test, withRedisBackedApps } from "../test/support/e2e";

test.describe("limits across instances", () => {
  const shared = withRedisBackedApps(3, { AUTH_DEV_SIGNIN: "true", CHAT_MAX_CONCURRENT_STREAMS: "0" });

  test("60 concurrent same-user requests over 3 instances: exactly 5 admitted, 55 refused", async ({
    request,
  }) => {
    const signin = await request.post(`${shared.apps[0]?.url}/api/auth/dev-signin`, {
      data: { name: "Multi Instance" },
    });
    expect(signin.status()).toBe(200);
    const cookie = /chat_session=[^;]+/.exec(signin.headers()["set-cookie"] ?? "")?.[0];
    expect(cookie).toBeTruthy();

    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const app = shared.apps[i % shared.apps.length] as AppServer;
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
