// Finding a user by display name in the operator console: recorded at sign-in (dev and Auth.js), searched by prefix.
import { describe, expect, it, vi } from "vitest";
import { POST as devSignIn } from "@/app/api/auth/dev-signin/route";
import { MAX_DIRECTORY_NAME_CHARS, MAX_USERS_FOUND } from "@/lib/admin/user-directory";
import { accountUserId, authOptions } from "@/lib/auth/options";
import { userKey } from "@/lib/identity/identify";
import { services } from "@/lib/services";
import type { AdminUsers } from "@/lib/wire/admin";
import { ADMIN_ENV, adminCall, adminJson, operator, sessionCaller } from "../support/admin";
import { requestFor, userToken } from "../support/app";
import { type SuiteBackend, useSuiteApp } from "./suite";

// Auth.js's sign-in event reads the guest cookie through next/headers, which needs Next's request scope.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

/** Signs `name` in through the dev sign-in route; the user's key. */
async function devSignInAs(name: string): Promise<string> {
  const response = await devSignIn(
    requestFor("/api/auth/dev-signin", {}, { body: JSON.stringify({ name }) }),
  );
  expect(response.status).toBe(200);
  const { user } = (await response.json()) as { user: { id: string } };
  return userKey(user.id);
}

/** What Auth.js's callback route does once a provider vouched for `subject`, who calls themself `name`. */
async function providerSignIn(subject: string, name: string): Promise<string> {
  const account = { provider: "oidc", providerAccountId: subject, type: "oauth" as const };
  await authOptions().events?.signIn?.({ user: { id: subject, name }, account, isNewUser: false });
  return userKey(accountUserId(account));
}

const find = (prefix: string) =>
  adminJson<AdminUsers>("GET", `/api/admin/users?name=${encodeURIComponent(prefix)}`);

export function defineAdminUsersSuite(backend: SuiteBackend): void {
  describe(`operator console: users by name (${backend.name})`, () => {
    useSuiteApp(backend, {
      ...ADMIN_ENV,
      AUTH_DEV_SIGNIN: "true",
      AUTH_OIDC_ISSUER: "https://idp.example",
      AUTH_OIDC_CLIENT_ID: "chat",
      AUTH_OIDC_CLIENT_SECRET: "secret",
    });

    it("answers 401 and 403 before searching, and a non-operator learns no name", async () => {
      await devSignInAs("Ada Lovelace");
      const member = await userToken("just-a-member");
      for (const [caller, status] of [
        [{ ip: "198.51.100.1" }, 401],
        [{ bearer: "not-the-admin-token" }, 401],
        [{ bearer: member }, 403],
        [sessionCaller(member), 403],
      ] as const) {
        const response = await adminCall("GET", "/api/admin/users?name=ada", caller);
        expect(response.status).toBe(status);
        const text = await response.text();
        expect(JSON.parse(text).error).toBe(status === 401 ? "unauthorized" : "forbidden");
        expect(text).not.toMatch(/lovelace|user:/i);
      }
    });

    it("finds a user signed in with the dev sign-in by a name prefix in any case, and only by a prefix", async () => {
      const ada = await devSignInAs("Ada Lovelace");
      const adam = await devSignInAs("Adam Smith");
      await devSignInAs("Grace Hopper");
      expect(ada).toMatch(/^user:jwt_/);
      for (const prefix of ["ada", "ADA", "aDa", "  ada"]) {
        expect((await find(prefix)).users).toEqual([
          { key: ada, name: "Ada Lovelace" },
          { key: adam, name: "Adam Smith" },
        ]);
      }
      expect((await find("ADA LOVE")).users).toEqual([{ key: ada, name: "Ada Lovelace" }]);
      expect((await find("lovelace")).users).toEqual([]);
      expect((await find("adas")).users).toEqual([]);
      // The key found is the one its limits are looked up by.
      const limits = await adminJson<{ key: string }>("GET", `/api/admin/limits?key=${ada}`);
      expect(limits.key).toBe(ada);
    });

    it("records an Auth.js sign-in's name; a renamed user is found by the new name only", async () => {
      const key = await providerSignIn("account-7", "Grace Hopper");
      expect((await find("grace")).users).toEqual([{ key, name: "Grace Hopper" }]);
      expect(await providerSignIn("account-7", "Amazing Grace")).toBe(key);
      expect((await find("grace")).users).toEqual([]);
      expect((await find("amazing")).users).toEqual([{ key, name: "Amazing Grace" }]);
      expect((await find("a")).users).toEqual([{ key, name: "Amazing Grace" }]);
      // Signing in again under the same name changes nothing; a case-only rename shows the new spelling.
      await providerSignIn("account-7", "Amazing Grace");
      await providerSignIn("account-7", "AMAZING grace");
      expect((await find("amazing")).users).toEqual([{ key, name: "AMAZING grace" }]);
    });

    it("keeps names clean and capped: no control or bidi characters, at most the cap", async () => {
      const key = await providerSignIn("account-8", `Eve\u202E\u0007 ${"x".repeat(200)}`);
      const [found, ...rest] = (await find("eve x")).users;
      expect(rest).toEqual([]);
      expect(found?.key).toBe(key);
      expect(found?.name).toBe(`Eve ${"x".repeat(MAX_DIRECTORY_NAME_CHARS - 4)}`);
      // A name with nothing left after cleaning is not recorded.
      await providerSignIn("account-9", "\u202E\u0007");
      expect((await find("e")).users.map((u) => u.key)).toEqual([key]);
    });

    it(`answers at most ${MAX_USERS_FOUND} users, by name`, async () => {
      const names = Array.from({ length: 25 }, (_, i) => `Ada ${String(i + 1).padStart(2, "0")}`);
      for (const name of names) await devSignInAs(name);
      const { users } = await find("ada");
      expect(users.map((u) => u.name)).toEqual(names.slice(0, MAX_USERS_FOUND));
      expect((await find("ada 2")).users.map((u) => u.name)).toEqual(names.slice(19));
    });

    it("answers a bad query with a 400 that names the field", async () => {
      const cases: [string, RegExp][] = [
        ["/api/admin/users", /name is required/],
        ["/api/admin/users?name=", /name must not be empty/],
        ["/api/admin/users?name=%20%20", /name must not be empty/],
        [`/api/admin/users?name=${"a".repeat(MAX_DIRECTORY_NAME_CHARS + 1)}`, /name must be at most/],
        ["/api/admin/users?name=a&name=b", /name is given more than once/],
      ];
      for (const [path, mentions] of cases) {
        const response = await adminCall("GET", path, operator);
        const json = await response.json();
        expect({ path, status: response.status, error: json.error }).toEqual({
          path,
          status: 400,
          error: "bad_request",
        });
        expect(json.message).toMatch(mentions);
      }
    });

    it("signs in even when the directory's store fails, logging the reason and never the name", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      vi.spyOn(services().users, "record").mockRejectedValue(
        new Error('ERR boom, command was: ["evalsha","users","Ada Lovelace"]'),
      );
      try {
        await devSignInAs("Ada Lovelace");
        const lines = warn.mock.calls.map((call) => call.join(" ")).join("\n");
        expect(lines).toContain("ERR boom");
        expect(lines).not.toMatch(/Lovelace/);
      } finally {
        vi.restoreAllMocks();
      }
      expect((await find("ada")).users).toEqual([]);
    });

    if (backend.pauseStore) {
      it("signs in within the store deadline while Redis hangs", async () => {
        vi.spyOn(console, "warn").mockImplementation(() => {});
        backend.pauseStore?.();
        try {
          const started = performance.now();
          await devSignInAs("Ada Lovelace");
          // Bounded by RATE_LIMIT_TIMEOUT_MS (500 ms), with room for a loaded machine; a hang would be the test's timeout.
          expect(performance.now() - started).toBeLessThan(4_000);
        } finally {
          backend.resumeStore?.();
          vi.restoreAllMocks();
        }
      });
    }
  });
}
