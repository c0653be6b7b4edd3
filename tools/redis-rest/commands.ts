// Command policy for the shared connection: which commands are refused and which need their own connection.
import { HttpError } from "./protocol";

/** Commands that would change or break the state of the shared connection. */
const REJECTED = new Set([
  ..."SELECT MULTI EXEC DISCARD WATCH UNWATCH MONITOR QUIT RESET HELLO AUTH SYNC PSYNC REPLCONF".split(" "),
  ..."SUBSCRIBE PSUBSCRIBE SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE".split(" "),
]);
const REJECTED_CLIENT_SUBCOMMANDS = new Set([
  "REPLY",
  "TRACKING",
  "CACHING",
  "SETNAME",
  "NO-EVICT",
  "NO-TOUCH",
]);
/** Commands that may block the connection; they run on a short-lived dedicated connection. */
const BLOCKING = new Set(
  "BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP WAIT WAITAOF".split(" "),
);

/**
 * Throws a 400 HttpError for commands the endpoint refuses; otherwise returns whether the
 * command may block (`upper` is the upper-cased command name).
 */
export function classifyCommand(upper: string, args: readonly string[]): { blocking: boolean } {
  if (REJECTED.has(upper)) {
    throw new HttpError(400, `ERR command '${args[0]}' is not supported by the REST endpoint`);
  }
  if (upper === "CLIENT" && REJECTED_CLIENT_SUBCOMMANDS.has((args[1] ?? "").toUpperCase())) {
    throw new HttpError(400, `ERR command 'CLIENT ${args[1]}' is not supported by the REST endpoint`);
  }
  const blocking =
    BLOCKING.has(upper) ||
    ((upper === "XREAD" || upper === "XREADGROUP") && args.some((a) => a.toUpperCase() === "BLOCK"));
  return { blocking };
}
