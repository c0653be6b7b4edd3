// GET /api/models: every model, whether this caller may use it, its limits and what is left of them.
import { peekLimits, toLimitLayer } from "../admission/limits";
import type { Caller } from "../identity/identify";
import { services } from "../services";
import type { ModelList } from "../wire/types";
import { allows } from "./table";

export async function listModels(caller: Caller, now = Date.now()): Promise<ModelList> {
  const { models, admission } = services();
  const { plan, model: defaultModel } = await peekLimits(caller, now);
  const allPlans = Object.keys(admission.plans);
  return {
    default: defaultModel,
    models: await Promise.all(
      models.map(async (row) => {
        const available = allows(row, plan);
        const own = available ? (await peekLimits(caller, now, row.key)).layers : [];
        return {
          key: row.key,
          label: row.label,
          available,
          plans: row.plans ? [...row.plans] : allPlans,
          limits: {
            per_minute: row.perMinute,
            per_hour: row.perHour,
            requests_per_minute: row.capacity.requestsPerMinute,
            tokens_per_minute: row.capacity.tokensPerMinute,
            token_cost: row.tokenCost,
          },
          layers: own.filter((layer) => layer.model === row.key).map(toLimitLayer),
        };
      }),
    ),
  };
}
