// What /api/health reports: store reachability (bounded by the store deadline), and the model in use.
import { getConfig } from "./config";
import { withDeadline } from "./resilience/deadline";
import { reportStoreSuccess, storeFailingSince } from "./resilience/store-health";
import { services } from "./services";
import type { Health } from "./wire/types";

export async function checkHealth(): Promise<Health> {
  const { store, model } = services();
  let reachable: boolean;
  try {
    await withDeadline(store.ping(), getConfig().rateLimit.timeoutMs);
    reachable = true;
  } catch {
    reachable = false;
  }
  // Redis answering again ends an outage, even before the next chat request proves it.
  if (reachable && storeFailingSince() !== null) reportStoreSuccess();
  return {
    status: reachable ? "ok" : "degraded",
    store: store.kind,
    model: model.label,
    provider: model.provider,
  };
}
