// Verifies user JWTs (HS256 with AUTH_SECRET, or RS256/ES256 from AUTH_JWKS_URL) and issues dev ones.
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
  SignJWT,
} from "jose";
import { getConfig } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { GUEST_TOKEN_AUDIENCE, GUEST_TOKEN_TYP } from "./guest";
import { getAuthHmacKey } from "./secret";
import { deriveUserId } from "./user-id";

export interface VerifiedUser {
  /** Stable per account and Stripe-safe (see ./user-id): the limit key is `user:<id>`. */
  id: string;
  name: string;
}

export const DEFAULT_USER_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TOKEN_LENGTH = 8192;
const ASYMMETRIC_ALGORITHMS = ["RS256", "ES256"];

// jose caches fetched keys inside each set (and rate-limits refetches on unknown `kid`s), so keep one
// set per URL for the life of the process.
const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function remoteJwks(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = jwksByUrl.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    jwksByUrl.set(url, set);
  }
  return set;
}

// Failures of the key server, not of the token: answering "anonymous" (or 401) here would log
// everybody out during a JWKS outage, so they surface as 503 instead.
const JWKS_OUTAGE_CODES = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/**
 * A verified user, or null for any bad token (malformed, `alg: none`, wrong key, tampered, expired,
 * wrong issuer/audience, missing `sub`, a guest token). Throws only ApiError("unavailable") when the
 * JWKS endpoint can't be reached.
 *
 * `exp` is required: every mainstream issuer (Supabase, Clerk, Auth0, Auth.js JWT mode) sets it, and a
 * token without one would be a bearer credential valid forever if it ever leaked.
 */
export async function verifyUserToken(token: string): Promise<VerifiedUser | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  let alg: string | undefined;
  let typ: string | undefined;
  try {
    ({ alg, typ } = decodeProtectedHeader(token));
  } catch {
    return null;
  }
  // Guest and operator cookies are signed with the same secret: never a user.
  if (typ?.toLowerCase() === GUEST_TOKEN_TYP || typ?.toLowerCase() === "chat-operator+jwt") return null;

  const { auth } = getConfig();
  const options: JWTVerifyOptions = {
    issuer: auth.issuer,
    audience: auth.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ["exp", "sub"],
  };
  try {
    // Route on the header's alg, but also pin `algorithms` per key type so an HMAC-signed token can
    // never be checked against a public key (or the reverse).
    let payload: JWTPayload;
    if (alg === "HS256") {
      ({ payload } = await jwtVerify(token, await getAuthHmacKey(), { ...options, algorithms: ["HS256"] }));
      return toUser(payload, "hs256");
    }
    if (alg && auth.jwksUrl && ASYMMETRIC_ALGORITHMS.includes(alg)) {
      const jwks = remoteJwks(auth.jwksUrl);
      ({ payload } = await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC_ALGORITHMS }));
      return toUser(payload, "jwks");
    }
    return null;
  } catch (error) {
    if (alg !== "HS256" && isJwksOutage(error)) {
      console.error("[identity] JWKS unavailable", error);
      const message = "Could not verify credentials right now. Please retry shortly.";
      throw new ApiError("unavailable", message, {}, { "Retry-After": "5" });
    }
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

function isJwksOutage(error: unknown): boolean {
  // A failed fetch (DNS, refused connection) rejects with a plain TypeError from fetch, not a JOSEError.
  if (!(error instanceof errors.JOSEError)) return error instanceof TypeError;
  return JWKS_OUTAGE_CODES.has(error.code);
}

/**
 * The user a verified token names. Its id is derived from who signed it (our HS256 secret or the JWKS),
 * the issuer and `sub`, so a JWKS user and a dev sign-in can never share an id, whatever their `sub`.
 */
function toUser(payload: JWTPayload, signer: "hs256" | "jwks"): VerifiedUser | null {
  const aud = payload.aud;
  if (aud === GUEST_TOKEN_AUDIENCE || (Array.isArray(aud) && aud.includes(GUEST_TOKEN_AUDIENCE))) return null;
  const subject = payload.sub;
  // No whitespace/control characters, bounded length: a garbage subject is a garbage token.
  if (typeof subject !== "string" || !/^[\x21-\x7e]{1,256}$/.test(subject)) return null;
  return { id: jwtUserId(signer, payload.iss, subject), name: displayName(payload) ?? subject };
}

/** The user id of a JWT's subject, by who signed it (our HS256 secret or the JWKS) and its issuer. */
export function jwtUserId(signer: "hs256" | "jwks", issuer: string | undefined, subject: string): string {
  return deriveUserId("jwt", `${signer}:${issuer ?? ""}`, subject);
}

function displayName(payload: JWTPayload): string | undefined {
  for (const claim of ["name", "preferred_username", "email"]) {
    const value = payload[claim];
    if (typeof value !== "string") continue;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    const clean = value.replace(/[\u0000-\u001f\u007f]/g, "").trim();
    if (clean) return clean.slice(0, 100);
  }
  return undefined;
}

/**
 * An HS256 user token for `subject` (used by the dev sign-in); carries AUTH_ISSUER/AUTH_AUDIENCE when set.
 * verifyUserToken turns it into the user with id `jwtUserId("hs256", AUTH_ISSUER, subject)`.
 */
export async function issueUserToken(
  subject: string,
  name: string,
  ttlSeconds = DEFAULT_USER_TOKEN_TTL_SECONDS,
): Promise<string> {
  const { auth } = getConfig();
  const jwt = new SignJWT({ name })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${Math.max(1, Math.floor(ttlSeconds))}s`);
  if (auth.issuer) jwt.setIssuer(auth.issuer);
  if (auth.audience) jwt.setAudience(auth.audience);
  return jwt.sign(await getAuthHmacKey());
}
