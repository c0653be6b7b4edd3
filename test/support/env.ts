// Test helper: set environment variables for one test and restore them (and the config cache) after.
import { afterEach } from "vitest";
import { resetConfigForTests } from "@/lib/config";

/** Call at the top of a test file; returns a setter (defaults + overrides) for tests and beforeEach. */
export function envForTests(defaults: Record<string, string | undefined> = {}) {
  const saved = new Map<string, string | undefined>();

  function setEnv(vars: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(vars)) {
      if (!saved.has(key)) saved.set(key, process.env[key]);
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetConfigForTests();
  }

  afterEach(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
    resetConfigForTests();
  });

  return (vars: Record<string, string | undefined> = {}) => setEnv({ ...defaults, ...vars });
}

export const TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
