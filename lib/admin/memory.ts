// The operator's store in one process's memory: the admission backend's own blocks, stats and windows.
import type { MemoryAdmissionBackend } from "../admission/memory";
import { MemoryWindows } from "../ratelimit/memory-windows";
import type { AuditEntry, BlockEntry, MinuteCounts, OperatorStore } from "./types";

export class MemoryOperatorStore implements OperatorStore {
  private readonly requests = new MemoryWindows(10_000);

  constructor(private readonly admission: MemoryAdmissionBackend) {}

  async getBlock(target: string, now: number): Promise<BlockEntry | null> {
    return this.admission.operator.blockOf([target], now);
  }

  async setBlock({ target, until, reason }: BlockEntry): Promise<void> {
    this.admission.operator.blocks.set(target, { until, reason });
  }

  async clearBlock(target: string, now: number): Promise<BlockEntry | null> {
    return this.admission.operator.clearBlock(target, now);
  }

  async listBlocks(now: number): Promise<BlockEntry[]> {
    const blocks = this.admission.operator.blocks;
    return [...blocks.keys()].flatMap((target) => {
      const block = this.admission.operator.blockOf([target], now);
      return block ? [block] : [];
    });
  }

  async clearWindows(keys: string[]): Promise<void> {
    this.admission.clearWindows(keys);
  }

  async minutes(first: number, last: number): Promise<MinuteCounts[]> {
    const out: MinuteCounts[] = [];
    for (let minute = first; minute <= last; minute++) {
      const stats = this.admission.operator.stats.get(minute);
      if (stats) {
        out.push({ minute, counts: Object.fromEntries(stats.counts), top: Object.fromEntries(stats.top) });
      }
    }
    return out;
  }

  async appendAudit(entry: AuditEntry, now: number): Promise<void> {
    this.admission.operator.appendAudit(entry, now);
  }

  async audit(limit: number, offset: number): Promise<AuditEntry[]> {
    return this.admission.operator.audit(limit, offset);
  }

  async hit(key: string, limit: number, windowMs: number, now: number) {
    const resetAt = (Math.floor(now / windowMs) + 1) * windowMs;
    const used = this.requests.count(key, now);
    if (used >= limit) return { allowed: false, resetAt };
    this.requests.set(key, used + 1, resetAt, now);
    return { allowed: true, resetAt };
  }
}
