// What /api/health reports: store reachability (bounded by the limiter timeout), limiter state, model.
import { getChatModel } from "./ai/model";
import { getConfig } from "./config";
import { withTimeout } from "./resilience/degrade";
import { reportStoreSuccess, storeFailingSince } from "./resilience/store-health";
import { getStore } from "./store";

export interface HealthReport {
  status: "ok" | "degraded";
  store: "memory" | "redis";
  model: string;
}

export async function checkHealth(): Promise<HealthReport> {
  const store = getStore();
  const timeoutMs = getConfig().rateLimit.timeoutMs;
  let reachable: boolean;
  try {
    await withTimeout(store.ping(), timeoutMs);
    reachable = true;
  } catch {
    reachable = false;
  }
  // Redis answering again ends an outage, even before the next chat request proves it.
  if (reachable && storeFailingSince() !== null) reportStoreSuccess();
  return { status: reachable ? "ok" : "degraded", store: store.kind, model: getChatModel().label };
}
