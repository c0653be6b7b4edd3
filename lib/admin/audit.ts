// The operator's audit log: every change (reset, block, unblock) with who, what, when and which key.
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
    await operatorCall(() => services().operator.appendAudit(entry));
  } catch (error) {
    console.error(
      "[audit] could not store this entry; it is logged here instead",
      JSON.stringify(entry),
      error,
    );
  }
}

export async function readAudit(limit: number): Promise<AdminAudit> {
  return { entries: await operatorCall(() => services().operator.audit(limit)) };
}
