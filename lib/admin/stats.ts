// The console's traffic figures: admitted and refused (by scope and model) per minute, the keys refused most,
// and each model's capacity use now.
import { statsMinute } from "../admission/budget";
import { services } from "../services";
import { type AdminStats, REFUSAL_SCOPES, type RefusalScope } from "../wire/admin";
import { readModelCapacity } from "./capacity";
import { operatorCall } from "./store-call";

/** How many keys `top_refused` lists. */
export const TOP_REFUSED = 10;

/**
 * The last `minutes` minutes up to the current one, oldest first, every minute present (zeros where nothing
 * happened). `top_refused` sums the refusals each minute's top list holds (the Redis store keeps a minute's
 * top 10 for reading), so with many refused keys it is the heaviest repeat offenders, not an exact census.
 * Refusals an instance answered from its local cache arrive within about a second (they are batched).
 * `models` is read at `now` (not summed over the range): how full each model's provider quota is right now.
 */
export async function readStats(minutes: number, now: number): Promise<AdminStats> {
  const last = statsMinute(now);
  const first = last - minutes + 1;
  const [stored, models] = await operatorCall(() =>
    Promise.all([services().operator.minutes(first, last), readModelCapacity(now)]),
  );
  const byMinute = new Map(stored.map((m) => [m.minute, m]));
  const totals = new Map<string, number>();
  const out: AdminStats["minutes"] = [];
  for (let minute = first; minute <= last; minute++) {
    const counts = byMinute.get(minute)?.counts ?? {};
    const refused = Object.fromEntries(
      REFUSAL_SCOPES.map((scope) => [scope, counts[`refused:${scope}`] ?? 0]),
    ) as Record<RefusalScope, number>;
    const traffic = Object.fromEntries(
      services().models.map(({ key }) => [
        key,
        {
          admitted: counts[`model:${key}:admitted`] ?? 0,
          refused: counts[`model:${key}:refused`] ?? 0,
          provider_busy: counts[`model:${key}:provider_busy`] ?? 0,
        },
      ]),
    );
    out.push({
      minute: new Date(minute * 60_000).toISOString(),
      admitted: counts.admitted ?? 0,
      refused,
      models: traffic,
    });
    for (const [key, count] of Object.entries(byMinute.get(minute)?.top ?? {})) {
      totals.set(key, (totals.get(key) ?? 0) + count);
    }
  }
  const top_refused = [...totals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_REFUSED)
    .map(([key, count]) => ({ key, count }));
  return { minutes: out, top_refused, models };
}
