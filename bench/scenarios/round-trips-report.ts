// round-trips' samples summarised (medians, round trips, store calls by shape) and rendered as markdown.
import { f1, f2, pct, shapeList, verdict } from "../format";
import { percentile } from "../load";

export type CaseKind = "new" | "follow-up";

/** One timed message. */
export interface Sample {
  kind: CaseKind;
  /** Added to every store call during this message. */
  delayMs: number;
  /** Request sent → first `text-delta` event read. */
  ttftMs: number;
  /** Request sent → stream ended. */
  totalMs: number;
  /** Every store HTTP call from the request until its persistence was over. */
  calls: { shape: string; beforeFirstToken: boolean }[];
  /** How long the proxy held each call. */
  heldMs: number[];
}

interface Spread {
  p25: number;
  p50: number;
  p75: number;
}

export interface CaseSummary {
  kind: CaseKind;
  ttft: { plain: Spread; delayed: Spread };
  /** (p50 ttft delayed − p50 ttft plain) / mean delay actually added. */
  roundTrips: number;
  /** The same estimate from each third of the requests, in order: how stable the figure is. */
  roundTripsByThird: number[];
  /** Store HTTP calls per request (mean), and of those, calls that reached the proxy before the first token. */
  calls: { plain: number; delayed: number; min: number; max: number };
  callsBeforeFirstToken: { plain: number; delayed: number };
  /** Calls per request by shape, at +0: before the first token and after it. */
  shapesBefore: Record<string, number>;
  shapesAfter: Record<string, number>;
  totalP50: { plain: number; delayed: number };
}

export interface RoundTripsSettings {
  requests: number;
  delayMs: number;
  warmup: number;
  settleQuietMs: number;
  maxConcurrentStreams: number;
  /** Share of all CPUs used by processes other than ours while the timed requests ran (a shared machine). */
  foreignCpu: number;
}

export interface RoundTripsResult {
  settings: RoundTripsSettings;
  /** Mean time the proxy actually held a call in the delayed runs (timers fire late by a little). */
  heldMs: number;
  cases: CaseSummary[];
  samples: Sample[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
function spread(xs: number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p25: percentile(sorted, 0.25), p50: percentile(sorted, 0.5), p75: percentile(sorted, 0.75) };
}

function countShapes(samples: Sample[], before: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples)
    for (const c of s.calls) if (c.beforeFirstToken === before) out[c.shape] = (out[c.shape] ?? 0) + 1;
  return out;
}

export function summarise(samples: Sample[], settings: RoundTripsSettings): RoundTripsResult {
  const heldMs = mean(samples.filter((s) => s.delayMs > 0).flatMap((s) => s.heldMs));
  const estimate = (of: Sample[]) =>
    (median(of.filter((s) => s.delayMs > 0).map((s) => s.ttftMs)) -
      median(of.filter((s) => s.delayMs === 0).map((s) => s.ttftMs))) /
    heldMs;
  const cases = (["new", "follow-up"] as const).map((kind): CaseSummary => {
    const all = samples.filter((s) => s.kind === kind);
    const plain = all.filter((s) => s.delayMs === 0);
    const delayed = all.filter((s) => s.delayMs > 0);
    const third = Math.ceil(all.length / 3);
    const counts = all.map((s) => s.calls.length);
    const before = (of: Sample[]) => mean(of.map((s) => s.calls.filter((c) => c.beforeFirstToken).length));
    return {
      kind,
      ttft: { plain: spread(plain.map((s) => s.ttftMs)), delayed: spread(delayed.map((s) => s.ttftMs)) },
      roundTrips: estimate(all),
      roundTripsByThird: [0, 1, 2].map((i) => estimate(all.slice(i * third, (i + 1) * third))),
      calls: {
        plain: mean(plain.map((s) => s.calls.length)),
        delayed: mean(delayed.map((s) => s.calls.length)),
        min: Math.min(...counts),
        max: Math.max(...counts),
      },
      callsBeforeFirstToken: { plain: before(plain), delayed: before(delayed) },
      shapesBefore: countShapes(plain, true),
      shapesAfter: countShapes(plain, false),
      totalP50: {
        plain: median(plain.map((s) => s.totalMs)),
        delayed: median(delayed.map((s) => s.totalMs)),
      },
    };
  });
  return { settings, heldMs, cases, samples };
}

/**
 * The verdict's bound for "one round trip". Each delayed call also costs the processes a wake-up from idle (about
 * 1 ms here), so k sequential round trips measure about 1.03·k: 4 calls in a row came out at 4.11.
 */
const ONE_ROUND_TRIP = 1.2;

const CASE_NAMES: Record<CaseKind, string> = {
  new: "first message of a new conversation",
  "follow-up": "follow-up in an existing conversation (history load)",
};

export function renderRoundTrips(r: RoundTripsResult): string[] {
  const { settings: s } = r;
  const d = s.delayMs;
  const newCase = r.cases.find((c) => c.kind === "new");
  const lines = [
    `${s.requests} timed requests per case at +0 and at +${d} ms per store call, alternating, each sent once the ` +
      `previous reply's persistence was over (no store call for ${s.settleQuietMs} ms); ${s.warmup} warm-up requests ` +
      `first; other load ${pct(s.foreignCpu)}. Delay actually added per call: ${f2(r.heldMs)} ms on average (the divisor). Each delayed call also wakes ` +
      `the processes from idle, so k calls in a row measure a little over k (the verdict counts up to ${ONE_ROUND_TRIP} ` +
      "as one round trip).",
    "",
    `| Case | TTFT p50 +0 ms | TTFT p50 +${d} ms | **round trips before the first token** | same, per third of the requests | store calls per request | … before the first token | whole reply p50 +0 / +${d} ms |`,
    "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ...r.cases.map(
      (c) =>
        `| ${CASE_NAMES[c.kind]} | ${f1(c.ttft.plain.p50)} | ${f1(c.ttft.delayed.p50)} | **${f2(c.roundTrips)}** | ` +
        `${c.roundTripsByThird.map(f2).join(", ")} | ${f2(c.calls.plain)} | ${f2(c.callsBeforeFirstToken.plain)} | ` +
        `${f1(c.totalP50.plain)} / ${f1(c.totalP50.delayed)} |`,
    ),
    "",
    `- Target ≤ 1 round trip before the first token in both cases: ${verdict(r.cases.every((c) => c.roundTrips <= ONE_ROUND_TRIP))}` +
      ` (${r.cases.map((c) => f2(c.roundTrips)).join(" / ")}); target ≤ 3 store calls per new-conversation request: ` +
      `${verdict((newCase?.calls.plain ?? Number.POSITIVE_INFINITY) <= 3)} (${f2(newCase?.calls.plain ?? Number.NaN)}).`,
    `- TTFT p25–p75, ms: ${r.cases
      .map(
        (c) =>
          `${c.kind} +0 ${f1(c.ttft.plain.p25)}–${f1(c.ttft.plain.p75)}, +${d} ${f1(c.ttft.delayed.p25)}–${f1(c.ttft.delayed.p75)}`,
      )
      .join("; ")}.`,
    `- Store calls per request at +0 / +${d} (min–max over all requests): ${r.cases
      .map((c) => `${c.kind} ${f2(c.calls.plain)} / ${f2(c.calls.delayed)} (${c.calls.min}–${c.calls.max})`)
      .join("; ")}.`,
  ];
  for (const c of r.cases) {
    const n = s.requests;
    lines.push(
      `- ${c.kind}, calls per request at +0 before the first token: ${shapeList(c.shapesBefore, n)}; after it: ` +
        `${shapeList(c.shapesAfter, n)}.`,
    );
  }
  return lines;
}
