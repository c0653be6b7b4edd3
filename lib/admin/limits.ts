// Looking up a key's limits without spending, and an operator's reset of its sliding logs (every instance sees it).
import { limitsQuery, toLimitLayer } from "../admission/limits";
import { logKey } from "../ratelimit/layers";
import { services } from "../services";
import type { AdminLimits, AdminReset } from "../wire/admin";
import { recordChange } from "./audit";
import { checksOfKey, type LimitKey } from "./keys";
import { operatorCall } from "./store-call";

/** Every layer of `limitKey` as it stands, its plan and its block; a key never seen has all its room. */
export async function lookUpKey(limitKey: LimitKey, now: number): Promise<AdminLimits> {
  const { admission, operator } = services();
  const query = limitsQuery(
    limitKey.key,
    checksOfKey(admission.layers, limitKey),
    limitKey.kind === "user",
    now,
  );
  const [state, block] = await operatorCall(() =>
    Promise.all([admission.primary.peek(query), operator.getBlock(limitKey.key, now)]),
  );
  return {
    key: limitKey.key,
    plan: state.plan,
    blocked: block && { until: new Date(block.until).toISOString(), reason: block.reason },
    layers: state.layers.map((layer) => ({ ...toLimitLayer(layer), identifier: layer.identifier })),
  };
}

/**
 * Clears the sliding log of every layer the key counts in, in the store (every instance reads it at
 * once), in this instance's outage fallback, and in this instance's refusal cache; other instances' cached
 * refusals lapse within a second (lib/ratelimit/refusal-cache.ts). Concurrency slots (live replies) and the
 * day's credits are not rate layers and stay as they are; a block stays until it is lifted.
 */
export async function resetKey(limitKey: LimitKey, actor: string, now: number): Promise<AdminReset> {
  const { admission, operator } = services();
  const checks = checksOfKey(admission.layers, limitKey);
  const keys = checks.map(logKey);
  await operatorCall(() => operator.clearWindows(keys));
  admission.fallback?.clearWindows(keys);
  const cleared = [...new Set(checks.map((check) => check.identifier))];
  for (const identifier of cleared) admission.refusals.forget(identifier);
  await recordChange(
    actor,
    "reset",
    limitKey.key,
    `cleared the rate-limit logs of ${cleared.join(", ")}`,
    now,
  );
  return { key: limitKey.key, cleared };
}
