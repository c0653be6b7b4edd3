// Local clock times for the views (operator console, blocked notice): "14:32", or "30 Nov, 14:32".

/** "14:32" (with seconds when asked), or "30 Nov, 14:32" for another day: the person's local time. */
export function clockTime(at: string | number, withSeconds = false): string {
  const date = new Date(at);
  const sameDay = date.toDateString() === new Date().toDateString();
  return date.toLocaleString(undefined, {
    ...(sameDay ? {} : { day: "numeric", month: "short" }),
    hour: "numeric",
    minute: "2-digit",
    ...(withSeconds ? { second: "2-digit" } : {}),
  });
}
