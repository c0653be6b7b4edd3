// The caller's plan and its limits (from /api/session), with the Upgrade link when one is offered.
import type { Limits, PlanLimitsInfo, Usage } from "@/components/api";
import { planName } from "@/lib/chat-client/paywall-text";

type Props = {
  limits: PlanLimitsInfo;
  upgradeUrl: string | null;
  /** What is used now of each rate layer (GET /api/limits) and of the day's credits (GET /api/usage). */
  layers: Limits | null;
  usage: Usage | null;
};

const LAYER_WORDS: Record<Limits["layers"][number]["name"], string> = {
  min: "Messages this minute",
  hour: "Messages this hour",
  "ip-min": "From your network this minute",
  "model-min": "With this model this minute",
  "model-hour": "With this model this hour",
  "model-rpm": "Everyone on this model this minute",
  "model-tpm": "Tokens on this model this minute (everyone)",
  "model-busy": "This model at its provider",
};

const count = (value: number) => (value === 0 ? "no limit" : value.toLocaleString());

export function planLabel(plan: string): string {
  return `${planName(plan)} plan`;
}

export function PlanSummary({ limits, upgradeUrl, layers, usage }: Props) {
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
      {(layers || usage) && (
        <dl className="plan-limits plan-used" aria-label="Used now" data-testid="plan-usage">
          {layers?.layers.map((layer) => (
            <div key={layer.name} className="plan-limit">
              <dt>{LAYER_WORDS[layer.name]}</dt>
              <dd data-testid={`used-${layer.name}`}>
                {layer.name === "model-busy"
                  ? `busy until ${new Date(layer.resets_at).toLocaleTimeString()}`
                  : `${(layer.limit - layer.remaining).toLocaleString()} of ${layer.limit.toLocaleString()}`}
              </dd>
            </div>
          ))}
          {usage && usage.budget > 0 && (
            <div className="plan-limit">
              <dt>Credits today</dt>
              <dd data-testid="used-credits">
                {Math.min(usage.used, usage.budget).toLocaleString()} of {usage.budget.toLocaleString()}{" "}
                tokens
              </dd>
            </div>
          )}
          {layers?.message_cost_tokens !== undefined && (
            // What the server sets aside for a message in the open conversation (GET /api/limits): its history
            // is sent with each one, so a long chat needs more free credits than a new one.
            <div
              className="plan-limit"
              title="Set aside from today's credits for each message in this chat: its history (sent with every message) plus the longest reply. What the reply doesn't use is given back."
            >
              <dt>A message here</dt>
              <dd data-testid="message-cost">
                reserves ~{layers.message_cost_tokens.toLocaleString()} tokens
              </dd>
            </div>
          )}
        </dl>
      )}
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
