// The model label from /api/health, shown as an "Offline demo model" badge when no real provider is configured.
import type { Health } from "@/components/api";

export function isOfflineModel(health: Health): boolean {
  return health.provider === "offline";
}

export function ModelBadge({ health, failed }: { health: Health | null; failed: boolean }) {
  if (!health) {
    return (
      <span className="badge badge-muted" data-testid="model-label">
        {failed ? "Model unavailable" : "…"}
      </span>
    );
  }
  const offline = isOfflineModel(health);
  return (
    <span
      className={offline ? "badge badge-offline" : "badge"}
      data-testid="model-label"
      data-offline={offline || undefined}
      title={offline ? `${health.model} — canned replies, no real model` : `Model: ${health.model}`}
    >
      {/* On a phone the badge gives the conversation's title the room: "Demo" (the full label in its title). */}
      <span className={offline ? "badge-long" : undefined}>
        {offline ? "Offline demo model" : health.model}
      </span>
      {offline && (
        <span className="badge-short" aria-hidden="true">
          Demo
        </span>
      )}
      {health.status === "degraded" && (
        <span className="badge-dot" role="img" aria-label="(service degraded)" />
      )}
    </span>
  );
}
