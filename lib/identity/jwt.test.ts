import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/http/errors";
import { envForTests, TEST_SECRET } from "@/test/support/env";
import { mintGuestSession } from "./guest";
import { issueUserToken, verifyUserToken } from "./jwt";
import { deriveUserId, USER_ID_PATTERN } from "./user-id";

const env = envForTests({
  AUTH_SECRET: TEST_SECRET,
  AUTH_JWKS_URL: undefined,
  AUTH_ISSUER: undefined,
  AUTH_AUDIENCE: undefined,
});
beforeEach(() => env());

const secret = new TextEncoder().encode(TEST_SECRET);
/** The id of a token signed with AUTH_SECRET / by the JWKS with subject `sub` (and issuer `iss`). */
const hsId = (sub: string, iss = "") => deriveUserId("jwt", `hs256:${iss}`, sub);
const jwksId = (sub: string, iss = "") => deriveUserId("jwt", `jwks:${iss}`, sub);
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: Record<string, unknown>, key: Uint8Array = secret, exp: number | null = now() + 60) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));

describe("verifyUserToken (HS256)", () => {
  it("accepts a valid token and picks a display name", async () => {
    expect(await verifyUserToken(await hs256({ sub: "u1", name: "Ada" }))).toEqual({
      id: hsId("u1"),
      name: "Ada",
    });
    expect(await verifyUserToken(await hs256({ sub: "u2", preferred_username: "bob" }))).toEqual({
      id: hsId("u2"),
      name: "bob",
    });
    expect(await verifyUserToken(await hs256({ sub: "u3", email: "c@example.com" }))).toEqual({
      id: hsId("u3"),
      name: "c@example.com",
    });
    expect(await verifyUserToken(await hs256({ sub: "u4" }))).toEqual({ id: hsId("u4"), name: "u4" });
  });

  it("round-trips issueUserToken", async () => {
    const token = await issueUserToken("dev-ada", "Ada");
    expect(await verifyUserToken(token)).toEqual({ id: hsId("dev-ada"), name: "Ada" });
  });

  it("derives a Stripe-safe id that is stable per signer, issuer and subject", async () => {
    const weird = "auth0|abc:123/ü".replace("ü", "u");
    const user = await verifyUserToken(await hs256({ sub: weird }));
    expect(user?.id).toMatch(USER_ID_PATTERN);
    expect(user?.id).toMatch(/^jwt_[A-Za-z0-9_-]{32}$/);
    expect((await verifyUserToken(await hs256({ sub: weird })))?.id).toBe(user?.id);
    expect(hsId("same")).not.toBe(jwksId("same"));
    expect(hsId("same", "https://a.example")).not.toBe(hsId("same", "https://b.example"));
    expect(hsId("same", "https://a.example/")).toBe(hsId("same", "https://a.example"));
  });

  it("rejects expired tokens, beyond the 5 s clock tolerance", async () => {
    expect(await verifyUserToken(await hs256({ sub: "u1" }, secret, now() - 60))).toBeNull();
    expect(await verifyUserToken(await hs256({ sub: "u1" }, secret, now() - 2))).not.toBeNull();
    expect(await verifyUserToken(await issueUserToken("u1", "u", 1))).not.toBeNull();
  });

  it("requires exp", async () => {
    expect(await verifyUserToken(await hs256({ sub: "u1" }, secret, null))).toBeNull();
  });

  it("rejects a token signed with another key", async () => {
    const other = new TextEncoder().encode("another-secret-0123456789abcdef0123456789");
    expect(await verifyUserToken(await hs256({ sub: "u1" }, other))).toBeNull();
  });

  it("rejects alg: none", async () => {
    const payload = b64json({ sub: "admin", exp: now() + 60 });
    expect(await verifyUserToken(`${b64json({ alg: "none" })}.${payload}.`)).toBeNull();
    expect(await verifyUserToken(`${b64json({ alg: "none", typ: "JWT" })}.${payload}.`)).toBeNull();
  });

  it("rejects a tampered payload", async () => {
    const [header, , signature] = (await hs256({ sub: "u1" })).split(".");
    const forged = b64json({ sub: "admin", exp: now() + 60 });
    expect(await verifyUserToken(`${header}.${forged}.${signature}`)).toBeNull();
  });

  it("rejects missing or empty sub", async () => {
    expect(await verifyUserToken(await hs256({ name: "nobody" }))).toBeNull();
    expect(await verifyUserToken(await hs256({ sub: "" }))).toBeNull();
    expect(await verifyUserToken(await hs256({ sub: "has space" }))).toBeNull();
  });

  it("enforces AUTH_AUDIENCE and AUTH_ISSUER when set", async () => {
    env({ AUTH_AUDIENCE: "chat-app", AUTH_ISSUER: "https://issuer.example" });
    const good = { sub: "u1", aud: "chat-app", iss: "https://issuer.example" };
    expect(await verifyUserToken(await hs256(good))).toEqual({
      id: hsId("u1", "https://issuer.example"),
      name: "u1",
    });
    expect(await verifyUserToken(await hs256({ ...good, aud: "other-app" }))).toBeNull();
    expect(await verifyUserToken(await hs256({ ...good, iss: "https://evil.example" }))).toBeNull();
    expect(await verifyUserToken(await hs256({ sub: "u1" }))).toBeNull();
    // Dev tokens carry the configured issuer/audience, so they keep working.
    expect(await verifyUserToken(await issueUserToken("dev-x", "X"))).not.toBeNull();
  });

  it("never accepts a guest cookie as a user token", async () => {
    const { cookieValue } = await mintGuestSession();
    expect(await verifyUserToken(cookieValue)).toBeNull();
    // Even with the typ header stripped, the guest audience gives it away.
    const forged = await new SignJWT({ aud: "chat:guest", sub: "abc" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(secret);
    expect(await verifyUserToken(forged)).toBeNull();
    // And the guest typ header alone is enough to refuse it.
    const typOnly = await new SignJWT({ sub: "abc" })
      .setProtectedHeader({ alg: "HS256", typ: "chat-guest+jwt" })
      .setExpirationTime("1h")
      .sign(secret);
    expect(await verifyUserToken(typOnly)).toBeNull();
  });

  it("returns null for garbage", async () => {
    for (const bad of ["", "abc", "a.b.c", "...", `${b64json({ alg: "HS256" })}.x.y`, "x".repeat(10_000)]) {
      expect(await verifyUserToken(bad), bad.slice(0, 20)).toBeNull();
    }
  });

  it("rejects asymmetric algorithms when no JWKS is configured", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT({ sub: "u1" })
      .setProtectedHeader({ alg: "ES256" })
      .setExpirationTime("1h")
      .sign(privateKey);
    expect(await verifyUserToken(token)).toBeNull();
  });
});

describe("verifyUserToken (JWKS)", () => {
  let server: Server;
  let jwksUrl: string;
  let requests = 0;
  const keys: Record<"ES256" | "RS256", CryptoKey> = {} as Record<"ES256" | "RS256", CryptoKey>;

  beforeAll(async () => {
    const es = await generateKeyPair("ES256");
    const rs = await generateKeyPair("RS256");
    keys.ES256 = es.privateKey;
    keys.RS256 = rs.privateKey;
    const jwks = {
      keys: [
        { ...(await exportJWK(es.publicKey)), kid: "es-1", alg: "ES256", use: "sig" },
        { ...(await exportJWK(rs.publicKey)), kid: "rs-1", alg: "RS256", use: "sig" },
      ],
    };
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (
    alg: "ES256" | "RS256",
    claims: Record<string, unknown>,
    kid = alg === "ES256" ? "es-1" : "rs-1",
  ) => new SignJWT(claims).setProtectedHeader({ alg, kid }).setExpirationTime("1h").sign(keys[alg]);

  it("accepts ES256 and RS256 tokens from the JWKS and caches the key set", async () => {
    env({ AUTH_JWKS_URL: jwksUrl });
    const before = requests;
    expect(await verifyUserToken(await sign("ES256", { sub: "es-user", name: "Es" }))).toEqual({
      id: jwksId("es-user"),
      name: "Es",
    });
    expect(await verifyUserToken(await sign("RS256", { sub: "rs-user" }))).toEqual({
      id: jwksId("rs-user"),
      name: "rs-user",
    });
    expect(requests - before).toBe(1);
  });

  it("still accepts HS256 tokens alongside the JWKS", async () => {
    env({ AUTH_JWKS_URL: jwksUrl });
    expect(await verifyUserToken(await hs256({ sub: "local" }))).toEqual({
      id: hsId("local"),
      name: "local",
    });
  });

  it("rejects unknown kids, wrong audience and tampering", async () => {
    env({ AUTH_JWKS_URL: jwksUrl, AUTH_AUDIENCE: "chat-app" });
    expect(await verifyUserToken(await sign("ES256", { sub: "u", aud: "chat-app" }))).not.toBeNull();
    expect(await verifyUserToken(await sign("ES256", { sub: "u", aud: "other" }))).toBeNull();
    expect(await verifyUserToken(await sign("ES256", { sub: "u", aud: "chat-app" }, "rs-1"))).toBeNull();
    const [h, , s] = (await sign("RS256", { sub: "u", aud: "chat-app" })).split(".");
    expect(
      await verifyUserToken(`${h}.${b64json({ sub: "admin", aud: "chat-app", exp: now() + 60 })}.${s}`),
    ).toBeNull();
  });

  it("answers 503 (not anonymous) when the JWKS endpoint is down", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    env({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await verifyUserToken(await sign("ES256", { sub: "u" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});
