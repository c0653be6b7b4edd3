// A real OpenID Connect provider (the `oidc-provider` package) on a free port, with a one-field login page.
//
// const idp = await startOidcProvider({ redirectUri: `${appUrl}/api/auth/callback/oidc` });
// env: AUTH_OIDC_ISSUER=idp.issuer, AUTH_OIDC_CLIENT_ID=idp.clientId, AUTH_OIDC_CLIENT_SECRET=idp.clientSecret
// In the browser the login page has a "Username" field and a "Sign in" button; the username is the account
// (`sub`), its name claim is "<Username> Example". Consent is granted with the login (a first-party app).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface OidcProviderFixture {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** How many sign-ins (login form submissions) the provider completed. */
  logins(): number;
  close(): Promise<void>;
}

const page = (uid: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}">
  <label>Username <input name="login" autocomplete="username" required></label>
  <button type="submit">Sign in</button>
</form></main></body></html>`;

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<OidcProviderFixture> {
  const clientId = "throttled-chat-e2e";
  const clientSecret = "e2e-oidc-client-secret-0123456789";
  let logins = 0;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "e2e-1", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["e2e-oidc-cookie-key-0123456789"] },
    claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
    // The app reads the profile from the ID token (Auth.js `idToken: true`), so it carries the claims.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: `${sub.slice(0, 1).toUpperCase()}${sub.slice(1)} Example`,
        email: `${sub}@example.test`,
      }),
    }),
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    if (req.method !== "POST") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(uid));
      return;
    }
    const accountId = (await formBody(req)).get("login")?.trim();
    if (!accountId) {
      res.writeHead(400, { "content-type": "text/plain" }).end("username required");
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    logins += 1;
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on("request", (req, res) => {
    const uid = /^\/interaction\/([\w-]+)$/.exec(req.url ?? "")?.[1];
    if (!uid) return callback(req, res);
    interaction(req, res, uid).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    logins: () => logins,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
