// Number and cell formatting shared by the scenarios' markdown.

export const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "n/a");
export const pct = (n: number) => `${Math.round(n * 100)}%`;
export const kb = (b: number) => `${(b / 1000).toFixed(1)} kB`;

export function verdict(ok: boolean): string {
  return ok ? "**met**" : "**missed**";
}

/** "1,234× 200, 5× 429" (and connection errors), for a status → count map. */
export function statuses(r: { statusCounts: Record<string, number>; errors: number }): string {
  const parts = Object.entries(r.statusCounts).map(([code, n]) => `${f0(n)}× ${code}`);
  if (r.errors) parts.push(`${f0(r.errors)} errors`);
  return parts.join(", ") || "none";
}

/** "18.02 (EXPIRE 4.00, EVALSHA 3.00, …)": Redis commands per request, busiest first. */
export function redisCell(perRequest: Record<string, number>): string {
  const entries = Object.entries(perRequest).filter(([, n]) => n >= 0.005);
  if (entries.length === 0) return "0";
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const detail = entries
    .sort((a, b) => b[1] - a[1])
    .map(([cmd, n]) => `${cmd} ${f2(n)}`)
    .join(", ");
  return `${f2(total)} (${detail})`;
}

/** "`/pipeline [EVALSHA, EVALSHA]` ×200; …": store calls by shape, commonest first. */
export function shapeList(shapes: Record<string, number>, per = 1): string {
  const entries = Object.entries(shapes).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return "none";
  return entries.map(([shape, n]) => `\`${shape}\` ×${per === 1 ? n : f2(n / per)}`).join("; ");
}
