// Arranging the sidebar's conversation list: recency groups in the user's local calendar, and search by title.

export type RecencyGroup = "Today" | "Yesterday" | "Previous 7 days" | "Older";
const GROUP_ORDER: RecencyGroup[] = ["Today", "Yesterday", "Previous 7 days", "Older"];

/** Local midnight `days` calendar days before `now` (calendar arithmetic, so DST days of 23 or 25 h count once). */
function localMidnight(now: Date, daysBack: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack).getTime();
}

/**
 * Today, Yesterday, the 7 calendar days before yesterday, then Older — by the device's time zone. A time in
 * the future (a clock ahead of ours) counts as today.
 */
export function recencyGroup(updatedAt: number, now: Date): RecencyGroup {
  if (updatedAt >= localMidnight(now, 0)) return "Today";
  if (updatedAt >= localMidnight(now, 1)) return "Yesterday";
  if (updatedAt >= localMidnight(now, 8)) return "Previous 7 days";
  return "Older";
}

/** Non-empty groups in order, each keeping the items' own order (the API's newest first). */
export function groupByRecency<T extends { updated_at: number }>(
  items: readonly T[],
  now: Date,
): { group: RecencyGroup; items: T[] }[] {
  const buckets = new Map<RecencyGroup, T[]>();
  for (const item of items) {
    const group = recencyGroup(item.updated_at, now);
    const bucket = buckets.get(group);
    if (bucket) bucket.push(item);
    else buckets.set(group, [item]);
  }
  return GROUP_ORDER.flatMap((group) => {
    const bucket = buckets.get(group);
    return bucket ? [{ group, items: bucket }] : [];
  });
}

/** Lower case without accents, so "cafe" finds "Café" and "STRASSE" finds "straße" (full case folding). */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase().replaceAll("ß", "ss");
}

/** The items whose title contains every word of `query` (any order, case and accents ignored). */
export function filterByTitle<T extends { title: string }>(items: readonly T[], query: string): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const title = fold(item.title);
    return words.every((word) => title.includes(word));
  });
}
