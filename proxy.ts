// Gives every browser a signed guest session cookie, visible even to the request that minted it.
import { type NextRequest, NextResponse } from "next/server";
import { withCookie } from "@/lib/identity/cookies";
import { GUEST_COOKIE, guestCookieOptions, mintGuestSession, verifyGuestCookie } from "@/lib/identity/guest";

// Runs in the Node.js runtime (the Next 16 default; `runtime` may not be set here). Only request
// headers are touched, so response bodies, including streamed chat responses, pass through untouched.
export async function proxy(request: NextRequest): Promise<NextResponse> {
  // The one HMAC verification per request.
  if (await verifyGuestCookie(request.cookies.get(GUEST_COOKIE)?.value)) return NextResponse.next();

  const { cookieValue } = await mintGuestSession();
  // Rewrite the forwarded Cookie header (replacing any invalid guest cookie) so the route handler
  // serving this first request already sees the session it is about to be given.
  const headers = new Headers(request.headers);
  headers.set("cookie", withCookie(headers.get("cookie"), GUEST_COOKIE, cookieValue));
  const response = NextResponse.next({ request: { headers } });
  response.cookies.set(GUEST_COOKIE, cookieValue, guestCookieOptions());
  // This answer carries a session of its own: a shared cache (CDN) that stored it would hand the same guest
  // session, and so the same conversations, to every later visitor. Prerendered pages are otherwise marked
  // `s-maxage=31536000`; answers to visitors that already have a session stay cacheable.
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}

export const config = {
  // Pages only: a browser's guest session starts on its first page load. API routes are left out on
  // purpose: health and version probes (load balancers, uptime checks) must not mint a session per call,
  // and the chat route's refusals stay cheap (no body buffering for the proxy, no HMAC). An API caller
  // without a guest cookie owns its conversations by IP (see lib/identity/identify.ts).
  // Also skipped: build assets, image optimisation and files with a static-asset extension.
  matcher: [
    "/((?!api/|_next/static|_next/image|favicon\\.ico|.*\\.(?:ico|png|jpe?g|gif|webp|avif|svg|css|js|map|txt|xml|woff2?|ttf)$).*)",
  ],
};
