// Small daily-credits meter from /api/usage; hidden when credits are disabled (budget 0).
import type { Usage } from "@/components/api";

function resetTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ""
    : date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

export function UsageMeter({ usage }: { usage: Usage | null }) {
  if (!usage || usage.budget <= 0) return null;
  const used = Math.min(usage.used, usage.budget);
  const percent = Math.round((used / usage.budget) * 100);
  const level = percent >= 90 ? "high" : percent >= 70 ? "mid" : "low";
  const resets = resetTime(usage.resets_at);
  const summary = `${usage.used.toLocaleString()} of ${usage.budget.toLocaleString()} tokens used today${resets ? `, resets ${resets}` : ""}`;
  return (
    <div className="usage" data-testid="usage-meter" title={summary}>
      <span className="usage-label" aria-hidden="true">
        {percent}%
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled div; <meter> can't be themed consistently. */}
      <div
        className="usage-bar"
        role="meter"
        aria-label="Daily credits used"
        aria-valuemin={0}
        aria-valuemax={usage.budget}
        aria-valuenow={used}
        aria-valuetext={summary}
        data-level={level}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
