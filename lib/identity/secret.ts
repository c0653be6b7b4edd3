// The HS256 secret behind user tokens and guest cookies: AUTH_SECRET, or a per-process one in development.
import { getConfig } from "@/lib/config";

interface SecretState {
  /** The AUTH_SECRET the cached bytes/key were derived from (undefined = ephemeral). */
  source: string | undefined;
  bytes: Uint8Array;
  key: Promise<CryptoKey>;
  ephemeral?: Uint8Array;
  warned?: boolean;
}

// On globalThis (not module scope) so dev hot reloads, and the proxy and route bundles, share one secret;
// otherwise every reload would silently invalidate every cookie issued so far.
const STATE = Symbol.for("throttled-chat.identity.secret");
type Holder = { [STATE]?: SecretState };
const holder = globalThis as Holder;

function importHmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

function currentState(): SecretState {
  const configured = getConfig().auth.secret;
  const state = holder[STATE];
  if (state && state.source === configured) return state;

  let bytes: Uint8Array;
  let ephemeral = state?.ephemeral;
  let warned = state?.warned;
  if (configured !== undefined) {
    bytes = new TextEncoder().encode(configured);
  } else {
    // Config refuses a missing AUTH_SECRET in production, so this only happens in development and tests.
    ephemeral ??= crypto.getRandomValues(new Uint8Array(32));
    bytes = ephemeral;
    if (!warned) {
      console.warn("AUTH_SECRET not set: using an ephemeral secret; sessions reset on restart");
      warned = true;
    }
  }
  const next: SecretState = { source: configured, bytes, key: importHmacKey(bytes), ephemeral, warned };
  holder[STATE] = next;
  return next;
}

/** Raw bytes of the HS256 secret (AUTH_SECRET as UTF-8, like Supabase/Auth0 HS256 secrets). */
export function getAuthSecretKey(): Uint8Array {
  return currentState().bytes;
}

/** The same secret imported once as a WebCrypto HMAC key, so verifying a token doesn't re-import it. */
export function getAuthHmacKey(): Promise<CryptoKey> {
  return currentState().key;
}

/** The same secret as a string, for libraries that derive their own keys from it (Auth.js). */
export function getAuthSecretString(): string {
  const state = currentState();
  return state.source ?? Buffer.from(state.bytes).toString("base64url");
}
