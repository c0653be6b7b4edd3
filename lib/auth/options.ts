// Auth.js (next-auth) configuration: the providers from env, a cookie-only session, guest adoption on sign-in.
import { cookies } from "next/headers";
import type { Account, AuthOptions } from "next-auth";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import type { OAuthConfig, Provider } from "next-auth/providers/index";
import { getConfig, type SignInProviderConfig } from "@/lib/config";
import { GUEST_COOKIE } from "@/lib/identity/cookies";
import { getAuthSecretString } from "@/lib/identity/secret";
import { deriveUserId } from "@/lib/identity/user-id";
import { adoptGuestConversations } from "./adopt-guest";
import { rememberSignedInName } from "./remember-name";
import {
  AUTH_SESSION_COOKIE,
  AUTH_SESSION_MAX_AGE_SECONDS,
  authSessionCookieOptions,
} from "./session-cookie";

interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
}

/** Any OpenID Connect provider, found through its discovery document; the id token is verified. */
function oidcProvider(config: Extract<SignInProviderConfig, { id: "oidc" }>): OAuthConfig<OidcProfile> {
  return {
    id: "oidc",
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state"],
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    profile: (profile) => ({
      id: profile.sub,
      name: profile.name ?? profile.preferred_username ?? profile.email ?? null,
      email: profile.email ?? null,
    }),
  };
}

function provider(config: SignInProviderConfig): Provider {
  if (config.id === "oidc") return oidcProvider(config);
  const credentials = { clientId: config.clientId, clientSecret: config.clientSecret };
  return config.id === "github" ? GitHubProvider(credentials) : GoogleProvider(credentials);
}

/** Who vouches for an account's subject: the OIDC issuer, or the well-known social provider. */
function namespaceOf(providerId: string): string {
  if (providerId === "github") return "https://github.com";
  if (providerId === "google") return "https://accounts.google.com";
  const oidc = getConfig().auth.providers.find((p) => p.id === "oidc");
  return oidc && "issuer" in oidc ? oidc.issuer : providerId;
}

/** `user.id` for an account that just signed in through Auth.js (see lib/identity/user-id.ts). */
export function accountUserId(account: Pick<Account, "provider" | "providerAccountId">): string {
  const source = account.provider === "github" || account.provider === "google" ? account.provider : "oidc";
  return deriveUserId(source, namespaceOf(account.provider), account.providerAccountId);
}

/**
 * No database: the session is Auth.js's encrypted JWT cookie (`strategy: "jwt"`), holding only the derived
 * user id and a display name, so it stays far below the 4 KB cookie limit and leaks no e-mail address.
 * Errors and the sign-in page go back to the app, which has the sign-in buttons.
 */
export function authOptions(): AuthOptions {
  const { auth } = getConfig();
  return {
    secret: getAuthSecretString(),
    providers: auth.providers.map(provider),
    session: { strategy: "jwt", maxAge: AUTH_SESSION_MAX_AGE_SECONDS },
    cookies: { sessionToken: { name: AUTH_SESSION_COOKIE, options: authSessionCookieOptions() } },
    pages: { signIn: "/", error: "/" },
    callbacks: {
      jwt: ({ token, account, user }) => {
        if (!account) return token;
        return { sub: accountUserId(account), name: user?.name ?? token.name ?? null };
      },
    },
    events: {
      signIn: async ({ account, user }) => {
        if (!account) return;
        const userId = accountUserId(account);
        // Runs inside Auth.js's callback route, so the request's cookies are at hand.
        const guestCookie = (await cookies()).get(GUEST_COOKIE)?.value;
        // The name the provider sends now: a user renamed there is found by the new name in the console.
        await Promise.all([
          adoptGuestConversations(userId, guestCookie),
          rememberSignedInName(userId, user?.name),
        ]);
      },
    },
  };
}
