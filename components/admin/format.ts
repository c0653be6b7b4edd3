// How the operator console writes times and failures: local clock times, the server's own error words.
import { ApiHttpError } from "@/components/api";
import { clockTime } from "@/components/format";

export { clockTime };

/** Free text from the server (audit details) with its ISO 8601 times written as local clock times. */
export function withClockTimes(text: string): string {
  return text.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, (iso) => clockTime(iso));
}

/** The API's message for a refused call, or what went wrong on the way. */
export function failureText(error: unknown): string {
  if (error instanceof ApiHttpError) return error.body.message;
  return "Couldn't reach the server. Check the connection and try again.";
}
