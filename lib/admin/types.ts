// What the operator's console reads and changes, as one contract for the memory and Redis stores.

/** The audit log keeps every entry this long (by age, never by count: a burst of changes pushes nothing out). */
export const AUDIT_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** The most entries one listing answers (older ones are read page by page, with `offset`). */
export const MAX_AUDIT_LISTED = 1_000;
/** The most blocks a store lists and one listing shows: bounded work per request. */
export const MAX_LISTED_BLOCKS = 500;

export interface BlockEntry {
  /** `user:<id>` or `ip:<addr>`. */
  target: string;
  /** Epoch ms. */
  until: number;
  reason: string;
}

export interface MinuteCounts {
  /** Epoch minutes. */
  minute: number;
  counts: Record<string, number>;
  /** Refused identities of that minute, by refusals. */
  top: Record<string, number>;
}

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  /** `admin-token`, the admin's user key, or `automatic` (the app's own block of a repeat offender). */
  actor: string;
  action: "reset" | "block" | "unblock";
  key: string;
  detail: string;
}

export interface OperatorStore {
  getBlock(target: string, now: number): Promise<BlockEntry | null>;
  setBlock(block: BlockEntry, now: number): Promise<void>;
  /**
   * Lifts the target's live block and forgets its refusal count, in one step; the block lifted, or null when
   * there was none — and then nothing changes (the refusal count stays).
   */
  clearBlock(target: string, now: number): Promise<BlockEntry | null>;
  listBlocks(now: number): Promise<BlockEntry[]>;
  /** Forgets the counts of these window keys (an operator's reset). */
  clearWindows(keys: string[]): Promise<void>;
  /** Counts of the minutes from `first` to `last` (epoch minutes), oldest first; absent minutes are left out. */
  minutes(first: number, last: number): Promise<MinuteCounts[]>;
  /** Appends `entry` (made at `now`), dropping entries older than AUDIT_RETENTION_MS. */
  appendAudit(entry: AuditEntry, now: number): Promise<void>;
  /** `limit` entries, newest first, after passing over the `offset` newest. */
  audit(limit: number, offset: number): Promise<AuditEntry[]>;
  /**
   * Counts one operator request in `key`'s current fixed window of `windowMs`; whether it fits `limit`, and
   * when the window ends (epoch ms).
   */
  hit(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<{ allowed: boolean; resetAt: number }>;
}
