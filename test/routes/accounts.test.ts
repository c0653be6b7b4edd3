// Guest → signed-in through the real route handlers: the guest's conversations move to the account.
import { beforeEach, describe, expect, it } from "vitest";
import { POST as devSignIn } from "@/app/api/auth/dev-signin/route";
import { POST as chatPost } from "@/app/api/chat/message/route";
import { GET as conversationsGet } from "@/app/api/conversations/route";
import { GET as sessionGet } from "@/app/api/session/route";
import { GUEST_COOKIE, SESSION_COOKIE } from "@/lib/identity/cookies";
import { mintGuestSession } from "@/lib/identity/guest";
import { identifyCaller } from "@/lib/identity/identify";
import { chatBody, configureApp, newId, requestFor, waitForFirstExchange } from "../support/app";

beforeEach(() => configureApp({ AUTH_DEV_SIGNIN: "true" }));

async function listFor(cookie: string): Promise<string[]> {
  const res = await conversationsGet(requestFor("/api/conversations", { headers: { cookie } }));
  return ((await res.json()) as { conversations: { id: string }[] }).conversations.map((c) => c.id);
}

async function signInAs(name: string, cookie = ""): Promise<string> {
  const res = await devSignIn(
    requestFor("/api/auth/dev-signin", { headers: { cookie } }, { body: JSON.stringify({ name }) }),
  );
  expect(res.status).toBe(200);
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
  return line.split(";")[0] ?? "";
}

describe("guest → signed-in", () => {
  it("the conversations a guest started belong to the account after sign-in", async () => {
    const { cookieValue } = await mintGuestSession();
    const guestCookie = `${GUEST_COOKIE}=${cookieValue}`;
    const id = newId();
    const res = await chatPost(
      requestFor("/api/chat/message", { headers: { cookie: guestCookie } }, { body: chatBody(id) }),
    );
    expect(res.status).toBe(200);
    await res.text();
    await waitForFirstExchange({ headers: { cookie: guestCookie } }, id); // persisted when the stream ends
    expect(await listFor(guestCookie)).toEqual([id]);

    const session = await signInAs("Ada", guestCookie);
    const signedIn = `${session}; ${guestCookie}`;
    expect(await listFor(signedIn)).toEqual([id]);
    expect(await listFor(guestCookie)).toEqual([]);
    // And from now on the person is limited as that user, not by IP.
    const caller = await identifyCaller(requestFor("/api/chat/message", { headers: { cookie: signedIn } }));
    const me = (await (
      await sessionGet(requestFor("/api/session", { headers: { cookie: signedIn } }))
    ).json()) as {
      user: { id: string };
    };
    expect(caller.limitKey).toBe(`user:${me.user.id}`);
  });

  it("two users on one IP are two users, each with their own limit key", async () => {
    const ip = "198.51.100.77";
    const ada = await signInAs("Ada");
    const bob = await signInAs("Bob");
    const who = async (cookie: string) =>
      (
        (await (await sessionGet(requestFor("/api/session", { ip, headers: { cookie } }))).json()) as {
          user: { id: string; name: string };
        }
      ).user;
    const [a, b] = [await who(ada), await who(bob)];
    expect(a.name).toBe("Ada");
    expect(b.name).toBe("Bob");
    expect(a.id).not.toBe(b.id);
    const keyOf = async (cookie: string) =>
      (await identifyCaller(requestFor("/api/chat/message", { ip, headers: { cookie } }))).limitKey;
    expect(await keyOf(ada)).toBe(`user:${a.id}`);
    expect(await keyOf(bob)).toBe(`user:${b.id}`);
  });
});
