// Traffic of the last hour: totals in words, the chart (loaded lazily), the same numbers as a table, and per model.
"use client";

import { lazy, Suspense } from "react";
import { type AdminStats, REFUSAL_SCOPES } from "@/lib/wire/admin";
import { ModelsPanel } from "./models-panel";
import { SCOPE_WORDS, toPoints, totalsOf } from "./traffic-points";

// Recharts is ~100 kB gzip: it loads in its own chunk once the console is open, never with the chat.
const TrafficChart = lazy(() => import("./traffic-chart"));

type Props = { stats: AdminStats | null };

export function TrafficPanel({ stats }: Props) {
  if (!stats) {
    return (
      <div className="chart-frame chart-placeholder" role="status">
        Loading traffic…
      </div>
    );
  }
  const totals = totalsOf(stats.minutes);
  const scopes = REFUSAL_SCOPES.filter((scope) => totals.byScope[scope] > 0);
  const points = toPoints(stats.minutes);
  const busy = points.filter((point) => point.admitted + point.refused > 0);
  return (
    <>
      <p className="traffic-summary" data-testid="traffic-summary">
        <strong data-testid="traffic-admitted">{totals.admitted}</strong> admitted ·{" "}
        <strong data-testid="traffic-refused">{totals.refused}</strong> refused
        {scopes.length > 0 && (
          <span className="muted">
            {" "}
            ({scopes.map((scope) => `${totals.byScope[scope]} ${SCOPE_WORDS[scope]}`).join(", ")})
          </span>
        )}
      </p>
      <div className="chart-frame" data-testid="traffic-chart">
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          <TrafficChart points={points} />
        </Suspense>
      </div>
      <details className="chart-table">
        <summary>Minutes with traffic, as a table</summary>
        {busy.length === 0 ? (
          <p className="muted">No chat messages in the last hour.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Minute</th>
                  <th scope="col">Admitted</th>
                  <th scope="col">Refused</th>
                </tr>
              </thead>
              <tbody>
                {busy.map((point) => (
                  <tr key={point.minute.minute}>
                    <th scope="row">{point.label}</th>
                    <td>{point.admitted}</td>
                    <td>{point.refused}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
      <ModelsPanel stats={stats} />
    </>
  );
}
