// Refusals that cost no quota and no I/O: requests the chat endpoint can reject from their headers alone.
import { ApiError } from "./errors";

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** 415 unless the body is declared JSON. */
export function assertJsonBody(request: Request): void {
  if (!JSON_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json.");
  }
}

/** 413 when Content-Length already says the body is too large. */
export function assertDeclaredSize(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
}

export function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    "payload_too_large",
    `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`,
  );
}

/**
 * 403 for a request another website made the visitor's browser send. Browsers say so in Sec-Fetch-Site
 * (`cross-site`, or `same-site` from a sibling subdomain); older ones only send an Origin of another host.
 * Without this, five invisible `fetch(url, {method: "POST", mode: "no-cors"})` calls on any page would spend
 * the visitor's (and their whole network's) messages. Requests with a Bearer token are exempt: a browser
 * can't attach one cross-site without a CORS preflight, which this API never grants. Non-browser clients
 * send neither header and are unaffected.
 */
export function assertSameOrigin(request: Request): void {
  if (/^bearer\s/i.test(request.headers.get("authorization") ?? "")) return;
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site" || (site === null && foreignOrigin(request))) {
    throw new ApiError("forbidden", "Requests from other websites are not accepted.");
  }
}

function foreignOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, file://) or garbage: not this site
  }
  const own = [request.headers.get("x-forwarded-host"), request.headers.get("host")];
  return !own.some((value) => value?.split(",")[0]?.trim() === host);
}
