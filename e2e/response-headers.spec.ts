// What `next start` answers about framing, sniffing, referrers and caching, for pages and API routes alike.
import { chatBody, newId } from "../test/support/chat-body";
import { expect, test } from "../test/support/e2e";

/** Requests a first-time visitor (no cookie) makes; each answer is checked as it is. */
const firstVisits: { name: string; path: string; init?: () => RequestInit }[] = [
  { name: "the chat page", path: "/" },
  { name: "a conversation link", path: `/?c=${newId()}` },
  { name: "the operator console", path: "/admin" },
  { name: "the session API", path: "/api/session" },
  {
    name: "a chat message",
    path: "/api/chat/message",
    init: () => ({
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.200" },
      body: chatBody(newId(), "hello"),
    }),
  },
];

/** Whether a CDN or proxy may store the response (RFC 9111): `public` or `s-maxage`, or a max-age not `private`. */
function sharedCacheable(cacheControl: string | null): boolean {
  const directives = (cacheControl ?? "").toLowerCase();
  if (/\bprivate\b|\bno-store\b/.test(directives)) return false;
  return /\bpublic\b|\bs-maxage=\s*[1-9]|\bmax-age=\s*[1-9]/.test(directives);
}

test("every page and API answer forbids framing and sniffing and keeps referrers on this origin", async ({
  appUrl,
}) => {
  for (const { name, path, init } of firstVisits) {
    const res = await fetch(`${appUrl}${path}`, { redirect: "manual", ...init?.() });
    await res.arrayBuffer();
    const headers = Object.fromEntries(res.headers);
    expect(headers["x-frame-options"], name).toBe("DENY");
    expect(headers["content-security-policy"], name).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], name).toBe("nosniff");
    expect(headers["referrer-policy"], name).toBe("same-origin");
  }
});

test("no answer that sets a cookie may be stored by a shared cache", async ({ appUrl }) => {
  const withCookies: string[] = [];
  for (const { name, path, init } of firstVisits) {
    // Twice: the second answer of a prerendered page comes from Next's cache (x-nextjs-cache: HIT).
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${appUrl}${path}`, { redirect: "manual", ...init?.() });
      await res.arrayBuffer();
      if (res.headers.getSetCookie().length === 0) continue;
      withCookies.push(name);
      expect(
        sharedCacheable(res.headers.get("cache-control")),
        `${name}: ${res.headers.get("cache-control")}`,
      ).toBe(false);
    }
  }
  // The guest session is minted on the page loads and on the first admitted message.
  expect(new Set(withCookies)).toEqual(
    new Set(["the chat page", "a conversation link", "the operator console", "a chat message"]),
  );
});
