// What /api/health reports: store reachability (bounded by the limiter timeout), limiter state, model.
import { getChatModel } from "./ai/model";
import { getConfig } from "./config";
import { limiterFailingSince, reportLimiterSuccess } from "./ratelimit/health";
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
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("ping timed out")), timeoutMs).unref?.()),
    ]);
    reachable = true;
  } catch {
    reachable = false;
  }
  // Redis answering again ends a limiter outage, even before the next chat request proves it.
  if (reachable && limiterFailingSince() !== null) reportLimiterSuccess();
  return { status: reachable ? "ok" : "degraded", store: store.kind, model: getChatModel().label };
}
