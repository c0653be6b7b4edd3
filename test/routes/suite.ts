// What every route suite shares: the backends they run on, and an app configured afresh for each test.
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { configureApp } from "../support/app";
import { type RedisStack, startRedisStack } from "../support/redis";

export interface SuiteBackend {
  name: string;
  /** Extra env (e.g. the REST endpoint) and a per-test reset of shared state. */
  setup(): Promise<Record<string, string>>;
  beforeEach?(): Promise<void>;
  teardown?(): Promise<void>;
  /** Redis only: freeze the store (every call hangs, SIGSTOP) and let it go again. */
  pauseStore?(): void;
  resumeStore?(): void;
}

const HOUR = 3_600_000;
/** Tests started in this file's process: test N starts N hours ahead of the real clock's hour. */
let testsStarted = 0;

export const memoryBackend: SuiteBackend = { name: "memory", setup: async () => ({}) };

/** Real Redis through the project's Upstash-compatible REST endpoint, flushed before each test. */
export function redisBackend(): SuiteBackend {
  let stack: RedisStack;
  return {
    name: "redis",
    setup: async () => {
      stack = await startRedisStack();
      return { UPSTASH_REDIS_REST_URL: stack.restUrl, UPSTASH_REDIS_REST_TOKEN: stack.restToken };
    },
    beforeEach: () => stack.flushAll(),
    teardown: () => stack?.stop(),
    pauseStore: () => stack.pauseRedis(),
    resumeStore: () => stack.resumeRedis(),
  };
}

/**
 * Installs the suite's hooks and returns `configure(overrides)`, which applies the backend's env, the suite's
 * `baseEnv` and the overrides, in that order. Each test starts configured with `baseEnv`. Windows are aligned
 * to the clock: each test starts 1 s into an hour of its own (the clock then runs on), so counts inside a
 * minute or an hour never straddle a window's end by chance, and what an earlier test's timers still write
 * late (a batched refusal count, a finished reply) lands in that test's hour, not in this one's figures.
 */
export function useSuiteApp(
  backend: SuiteBackend,
  baseEnv: Record<string, string> = {},
): (overrides?: Record<string, string>) => void {
  let env: Record<string, string> = {};
  const configure = (overrides: Record<string, string> = {}) =>
    configureApp({ ...env, ...baseEnv, ...overrides });
  beforeAll(async () => {
    env = await backend.setup();
  });
  afterAll(async () => {
    await backend.teardown?.();
  });
  beforeEach(async () => {
    await backend.beforeEach?.();
    configure();
    testsStarted += 1;
    const ownHour = (Math.floor(Date.now() / HOUR) + testsStarted) * HOUR;
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(ownHour + 1_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return configure;
}
