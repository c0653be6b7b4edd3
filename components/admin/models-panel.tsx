// Per model: its messages over the shown period, and how full its provider quota (capacity) is right now.
"use client";

import type { AdminCapacityUse, AdminStats, AdminStatsModel } from "@/lib/wire/admin";
import { clockTime } from "./format";
import { type ModelTotals, modelTotalsOf, showsModels } from "./traffic-points";

const UNIT_WORDS: Record<AdminCapacityUse["layer"], string> = {
  "model-rpm": "Requests",
  "model-tpm": "Tokens",
};

const NO_TRAFFIC: ModelTotals = { admitted: 0, refused: 0, provider_busy: 0 };

/** "this minute" for the usual window (tests and deployments may shorten it: then its length in seconds). */
const windowWords = (seconds: number) => (seconds === 60 ? "this minute" : `in the last ${seconds} s`);

export function ModelsPanel({ stats }: { stats: AdminStats }) {
  if (!showsModels(stats.models)) return null;
  const totals = modelTotalsOf(stats.minutes);
  return (
    <section className="models" aria-labelledby="models-title" data-testid="models-panel">
      <h3 id="models-title">Models</h3>
      <p className="muted small">Messages over the chart's period; each quota as used right now.</p>
      <ul className="model-list">
        {stats.models.map((model) => (
          <ModelCard key={model.key} model={model} traffic={totals[model.key] ?? NO_TRAFFIC} />
        ))}
      </ul>
    </section>
  );
}

function ModelCard({ model, traffic }: { model: AdminStatsModel; traffic: ModelTotals }) {
  const titleId = `model-title-${model.key}`;
  return (
    <li className="model-card" aria-labelledby={titleId} data-testid={`model-${model.key}`}>
      <p className="model-name" id={titleId}>
        <strong>{model.label}</strong> <span className="mono muted">{model.key}</span>
      </p>
      <p className="model-traffic" data-testid="model-traffic">
        <strong data-testid="model-admitted">{traffic.admitted}</strong> admitted ·{" "}
        <strong data-testid="model-refused">{traffic.refused}</strong> refused ·{" "}
        <strong data-testid="model-provider-busy">{traffic.provider_busy}</strong> refused by its provider
      </p>
      {model.capacity.length === 0 ? (
        <p className="muted small">No capacity set for this model.</p>
      ) : (
        model.capacity.map((use) => <CapacityMeter key={use.layer} model={model.label} use={use} />)
      )}
    </li>
  );
}

function CapacityMeter({ model, use }: { model: string; use: AdminCapacityUse }) {
  const used = Math.min(use.used, use.limit);
  const percent = use.limit > 0 ? Math.round((used / use.limit) * 100) : 0;
  const level = percent >= 90 ? "high" : percent >= 70 ? "mid" : "low";
  const name = `${UNIT_WORDS[use.layer]} ${windowWords(use.window_seconds)}`;
  const figures = `${used.toLocaleString()} of ${use.limit.toLocaleString()}`;
  // When the oldest counted one leaves the window: the moment room comes back (only said when something counts).
  const frees = used > 0 ? `, next frees at ${clockTime(use.resets_at, true)}` : "";
  return (
    <div className="capacity" data-testid={`capacity-${use.layer}`}>
      <span className="capacity-label" aria-hidden="true" data-testid="capacity-label">
        {name}: {figures}
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled div; <meter> can't be themed consistently. */}
      <div
        className="capacity-bar"
        role="meter"
        aria-label={`${model}: ${name.toLowerCase()}`}
        aria-valuemin={0}
        aria-valuemax={use.limit}
        aria-valuenow={used}
        aria-valuetext={`${figures}${frees}`}
        data-level={level}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
