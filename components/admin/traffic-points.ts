// The stats' minutes as the chart and the summaries read them: labels, admitted, refused by scope and by model.
import {
  type AdminModelTraffic,
  type AdminStatsMinute,
  type AdminStatsModel,
  REFUSAL_SCOPES,
  type RefusalScope,
} from "@/lib/wire/admin";
import { clockTime } from "./format";

export interface MinutePoint {
  label: string;
  admitted: number;
  refused: number;
  minute: AdminStatsMinute;
}

/** What each refusal scope means to an operator. */
export const SCOPE_WORDS: Record<RefusalScope, string> = {
  user: "by their own rate limits",
  ip: "by their network's rate limit",
  model: "by a busy model",
  concurrency: "by replies in progress",
  credits: "out of credits",
  blocked: "blocked",
};

export function toPoints(minutes: AdminStatsMinute[]): MinutePoint[] {
  return minutes.map((minute) => ({
    label: clockTime(minute.minute),
    admitted: minute.admitted,
    refused: REFUSAL_SCOPES.reduce((sum, scope) => sum + minute.refused[scope], 0),
    minute,
  }));
}

/** Totals over the range: admitted, refused, and refused by scope. */
export function totalsOf(minutes: AdminStatsMinute[]) {
  const byScope = Object.fromEntries(REFUSAL_SCOPES.map((scope) => [scope, 0])) as Record<
    RefusalScope,
    number
  >;
  let admitted = 0;
  for (const minute of minutes) {
    admitted += minute.admitted;
    for (const scope of REFUSAL_SCOPES) byScope[scope] += minute.refused[scope];
  }
  const refused = REFUSAL_SCOPES.reduce((sum, scope) => sum + byScope[scope], 0);
  return { admitted, refused, byScope };
}

/** One model's traffic summed over the range. */
export type ModelTotals = AdminModelTraffic;

/** Each model's admitted, refused and provider-busy messages over the range, by key. */
export function modelTotalsOf(minutes: AdminStatsMinute[]): Record<string, ModelTotals> {
  const totals: Record<string, ModelTotals> = {};
  for (const minute of minutes) {
    for (const [key, traffic] of Object.entries(minute.models)) {
      const sum = totals[key] ?? { admitted: 0, refused: 0, provider_busy: 0 };
      totals[key] = {
        admitted: sum.admitted + traffic.admitted,
        refused: sum.refused + traffic.refused,
        provider_busy: sum.provider_busy + traffic.provider_busy,
      };
    }
  }
  return totals;
}

/**
 * Whether per-model figures say anything the totals don't: with several models, or a capacity to fill. The
 * one model of an app without CHAT_MODELS (no capacity) would only repeat the totals, so the console stays as it was.
 */
export const showsModels = (models: AdminStatsModel[]): boolean =>
  models.length > 1 || models.some((model) => model.capacity.length > 0);
