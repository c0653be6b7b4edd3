// The stats' minutes as the chart and the summary read them: labels, admitted, refused in all and by scope.
import { type AdminStatsMinute, REFUSAL_SCOPES, type RefusalScope } from "@/lib/wire/admin";
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
