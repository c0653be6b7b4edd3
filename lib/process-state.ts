// The one cache of process-wide state (config, services, store health), with the one reset tests use.

// On globalThis, not in module scope: `next dev` reloads modules (and the proxy and route bundles each have
// their own copy of a module), but they must share one in-memory store, one limiter and one config.
const KEY = Symbol.for("throttled-chat.process-state");
type Holder = { [KEY]?: Map<string, unknown> };
const holder = globalThis as Holder;

/** The process's single instance of `name`, created on first use. */
export function processState<T>(name: string, create: () => T): T {
  holder[KEY] ??= new Map();
  const state = holder[KEY];
  if (!state.has(name)) state.set(name, create());
  return state.get(name) as T;
}

/** Tests only: forget every process-wide instance, so a changed environment is read and built again. */
export function resetProcessStateForTests(): void {
  holder[KEY]?.clear();
}
