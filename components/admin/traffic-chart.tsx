// The traffic chart (Recharts, loaded on its own when the console opens): admitted vs refused per minute.
"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { REFUSAL_SCOPES } from "@/lib/wire/admin";
import { type MinutePoint, SCOPE_WORDS } from "./traffic-points";

function MinuteTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as MinutePoint | undefined;
  if (!active || !point) return null;
  const scopes = REFUSAL_SCOPES.filter((scope) => point.minute.refused[scope] > 0);
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{point.label}</p>
      <p>
        <span className="swatch swatch-admitted" aria-hidden="true" /> {point.admitted} admitted
      </p>
      <p>
        <span className="swatch swatch-refused" aria-hidden="true" /> {point.refused} refused
      </p>
      {scopes.map((scope) => (
        <p key={scope} className="chart-tooltip-detail">
          {point.minute.refused[scope]} {SCOPE_WORDS[scope]}
        </p>
      ))}
    </div>
  );
}

export default function TrafficChart({ points }: { points: MinutePoint[] }) {
  const axis = { fill: "var(--muted)", fontSize: 12 };
  return (
    <BarChart
      responsive
      data={points}
      style={{ width: "100%", height: 240 }}
      margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
      barCategoryGap={1}
      desc="Chat messages admitted and refused per minute over the last hour"
    >
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="label"
        tick={axis}
        tickLine={false}
        axisLine={{ stroke: "var(--border-strong)" }}
        minTickGap={24}
      />
      <YAxis allowDecimals={false} tick={axis} tickLine={false} axisLine={false} width={48} />
      <Tooltip content={MinuteTooltip} cursor={{ fill: "var(--hover)" }} isAnimationActive={false} />
      <Legend wrapperStyle={{ fontSize: 13, color: "var(--muted)" }} iconType="square" />
      <Bar
        dataKey="admitted"
        name="Admitted"
        stackId="messages"
        fill="var(--chart-admitted)"
        isAnimationActive={false}
      />
      <Bar
        dataKey="refused"
        name="Refused"
        stackId="messages"
        fill="var(--chart-refused)"
        isAnimationActive={false}
      />
    </BarChart>
  );
}
