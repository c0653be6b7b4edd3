// The operator's audit log: every change (reset, block, unblock; by an operator or automatic) with who, what, when.
import { services } from "../services";
import type { AdminAudit } from "../wire/admin";
import { operatorCall } from "./store-call";
import type { AuditEntry } from "./types";

/**
 * Appends an entry after the change it records was made. Should the store fail in between, the change
 * stands and the entry goes to the server log instead of being lost (an error line with the whole entry).
 */
export async function recordChange(
  actor: string,
  action: AuditEntry["action"],
  key: string,
  detail: string,
  now: number,
): Promise<void> {
  const entry: AuditEntry = { at: new Date(now).toISOString(), actor, action, key, detail };
  try {
    await operatorCall(() => services().operator.appendAudit(entry, now));
  } catch (error) {
    console.error(
      "[audit] could not store this entry; it is logged here instead",
      JSON.stringify(entry),
      error,
    );
  }
}

/** `limit` entries, newest first, after passing over the `offset` newest (pages of a log kept 30 days). */
export async function readAudit(limit: number, offset: number): Promise<AdminAudit> {
  return { entries: await operatorCall(() => services().operator.audit(limit, offset)) };
}
