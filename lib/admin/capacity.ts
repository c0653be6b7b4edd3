// Each model's capacity use now (its share of the provider's quota for the whole app), read without spending.
import { limitsQuery } from "../admission/limits";
import { capacityChecks, type LayerState } from "../ratelimit/layers";
import { services } from "../services";
import type { AdminCapacityUse, AdminStatsModel } from "../wire/admin";

/**
 * Every model in the configured order, with its rpm and tpm layers as they stand: the same peek as GET
 * /api/limits?model= (one read per model with a capacity, in parallel), never counting anything. The query's
 * limit key only names whose stored plan to read, and none is read: capacity limits are the model's, not a
 * plan's. Store failures are the caller's to bound (lib/admin/store-call.ts).
 */
export async function readModelCapacity(now: number): Promise<AdminStatsModel[]> {
  const { admission } = services();
  return Promise.all(
    (admission.layers.models ?? []).map(async (row) => {
      const checks = capacityChecks(admission.layers, row);
      if (checks.length === 0) return { key: row.key, label: row.label, capacity: [] };
      const query = limitsQuery(`model:${row.key}`, checks, false, now, row.key);
      const { layers } = await admission.primary.peek(query);
      return { key: row.key, label: row.label, capacity: layers.map(toCapacityUse) };
    }),
  );
}

function toCapacityUse(state: LayerState): AdminCapacityUse {
  return {
    layer: state.layer.name === "model-tpm" ? "model-tpm" : "model-rpm",
    limit: state.limit,
    used: state.limit - state.remaining,
    resets_at: new Date(state.resetAt).toISOString(),
    window_seconds: state.layer.windowSeconds,
  };
}
