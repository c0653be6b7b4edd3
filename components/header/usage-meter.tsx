// The daily-credits meter from /api/usage, named in words; hidden when credits are disabled (budget 0).
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
  const summary = `${used.toLocaleString()} of ${usage.budget.toLocaleString()} tokens used today${resets ? `, resets ${resets}` : ""}`;
  // Named in words for sight ("Credits today: 53% used"; "Credits 53%" on a phone) and for screen readers
  // (the meter's name and value), not only by a bare bar whose meaning hides in a hover tooltip.
  return (
    <div className="usage" data-testid="usage-meter" title={summary}>
      <span className="usage-label" aria-hidden="true" data-testid="usage-label">
        Credits<span className="usage-wide"> today:</span> {percent}%<span className="usage-wide"> used</span>
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled div; <meter> can't be themed consistently. */}
      <div
        className="usage-bar"
        role="meter"
        aria-label="Credits today"
        aria-valuemin={0}
        aria-valuemax={usage.budget}
        aria-valuenow={used}
        aria-valuetext={`${percent}% used: ${summary}`}
        data-level={level}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
