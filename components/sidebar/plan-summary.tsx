// The caller's plan and its limits (from /api/session), with the Upgrade link when one is offered.
import type { PlanLimitsInfo } from "@/components/api";
import { planName } from "@/lib/chat-client/paywall-text";

type Props = { limits: PlanLimitsInfo; upgradeUrl: string | null };

const count = (value: number) => (value === 0 ? "no limit" : value.toLocaleString());

export function planLabel(plan: string): string {
  return `${planName(plan)} plan`;
}

export function PlanSummary({ limits, upgradeUrl }: Props) {
  const rows: [label: string, value: string, testId: string][] = [
    ["Messages / minute", count(limits.per_minute), "per-minute"],
    ["Messages / hour", count(limits.per_hour), "per-hour"],
    ["Replies at once", count(limits.concurrent_streams), "concurrent"],
    ["Tokens / day", count(limits.daily_tokens), "daily-tokens"],
  ];
  return (
    <div className="plan" data-testid="plan-summary">
      <dl className="plan-limits" aria-label={`${planLabel(limits.plan)} limits`}>
        {rows.map(([label, value, testId]) => (
          <div key={testId} className="plan-limit">
            <dt>{label}</dt>
            <dd data-testid={`limit-${testId}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {upgradeUrl && (
        <a
          className="btn btn-small btn-primary plan-upgrade"
          href={upgradeUrl}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="account-upgrade"
        >
          Upgrade to Pro
        </a>
      )}
    </div>
  );
}
