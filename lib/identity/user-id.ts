// The one derivation of `user.id` from (provider, subject): stable per account, safe for Stripe and Redis keys.
import { createHash } from "node:crypto";

export { USER_ID_PATTERN } from "../wire/limits";

/** Where an account comes from; the readable prefix of its id. */
export type AccountSource = "oidc" | "github" | "google" | "jwt" | "gateway";

/**
 * `<source>_<32 url-safe base64 characters of SHA-256(namespace, subject)>`: the same account always gets
 * the same id, two providers (or issuers) can never collide on a shared subject, and nothing the provider
 * sends (an `auth0|…` subject, an e-mail) has to fit our alphabet. `namespace` says which issuer vouched
 * for `subject` (an OIDC issuer URL, `github`, `hs256:<iss>`…); trailing slashes don't count.
 */
export function deriveUserId(source: AccountSource, namespace: string, subject: string): string {
  const digest = createHash("sha256")
    .update(`${source}\u0000${namespace.replace(/\/+$/, "")}\u0000${subject}`)
    .digest("base64url");
  return `${source}_${digest.slice(0, 32)}`;
}
