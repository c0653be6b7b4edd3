// What the operator's console reads and changes, as one contract for the memory and Redis stores.

/** The audit log keeps this many entries, the newest; a listing asks for at most as many. */
export const MAX_AUDIT_ENTRIES = 1_000;
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
  /** `admin-token` or the admin's user key. */
  actor: string;
  action: "reset" | "block" | "unblock";
  key: string;
  detail: string;
}

export interface OperatorStore {
  getBlock(target: string, now: number): Promise<BlockEntry | null>;
  setBlock(block: BlockEntry, now: number): Promise<void>;
  /** False when there was no block. */
  clearBlock(target: string): Promise<boolean>;
  listBlocks(now: number): Promise<BlockEntry[]>;
  /** Forgets the counts of these window keys (an operator's reset). */
  clearWindows(keys: string[]): Promise<void>;
  /** Counts of the minutes from `first` to `last` (epoch minutes), oldest first; absent minutes are left out. */
  minutes(first: number, last: number): Promise<MinuteCounts[]>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** The newest entries first. */
  audit(limit: number): Promise<AuditEntry[]>;
}
