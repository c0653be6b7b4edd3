// Two read-only lists: the keys refused most in the last hour, and the operators' audit log.
import type { AdminAuditEntry, AdminStats } from "@/lib/wire/admin";
import { clockTime, withClockTimes } from "./format";

type TopProps = { stats: AdminStats | null; onPick: (key: string) => void };

export function TopRefused({ stats, onPick }: TopProps) {
  if (!stats) return <p className="muted">Loading…</p>;
  if (stats.top_refused.length === 0) {
    return (
      <p className="muted" data-testid="no-top-refused">
        Nobody was refused in the last hour.
      </p>
    );
  }
  return (
    <ol className="rows" data-testid="top-refused">
      {stats.top_refused.map(({ key, count }) => (
        <li key={key} className="row">
          <div className="row-main">
            <span className="mono row-key">{key}</span>
            <span className="muted row-detail">
              {count} refused {count === 1 ? "message" : "messages"}
            </span>
          </div>
          <div className="row-actions">
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onPick(key)}>
              Look up<span className="sr-only"> {key}</span>
            </button>
          </div>
        </li>
      ))}
    </ol>
  );
}

const ACTION_WORDS: Record<AdminAuditEntry["action"], string> = {
  reset: "reset",
  block: "blocked",
  unblock: "unblocked",
};

export function AuditLog({ entries }: { entries: AdminAuditEntry[] | null }) {
  if (!entries) return <p className="muted">Loading…</p>;
  if (entries.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <ol className="rows audit" data-testid="audit-list">
      {entries.map((entry) => (
        <li key={`${entry.at}|${entry.action}|${entry.key}`} className="row">
          <div className="row-main">
            <span>
              <time dateTime={entry.at}>{clockTime(entry.at, true)}</time> ·{" "}
              <span className="mono">{entry.actor}</span> {ACTION_WORDS[entry.action]}{" "}
              <span className="mono">{entry.key}</span>
            </span>
            <span className="muted row-detail">{withClockTimes(entry.detail)}</span>
          </div>
        </li>
      ))}
    </ol>
  );
}
