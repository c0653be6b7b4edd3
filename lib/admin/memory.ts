// The operator's store in one process's memory: the admission backend's own blocks, stats and windows.
import type { MemoryAdmissionBackend } from "../admission/memory";
import {
  type AuditEntry,
  type BlockEntry,
  MAX_AUDIT_ENTRIES,
  type MinuteCounts,
  type OperatorStore,
} from "./types";

export class MemoryOperatorStore implements OperatorStore {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly admission: MemoryAdmissionBackend) {}

  async getBlock(target: string, now: number): Promise<BlockEntry | null> {
    return this.admission.operator.blockOf([target], now);
  }

  async setBlock({ target, until, reason }: BlockEntry): Promise<void> {
    this.admission.operator.blocks.set(target, { until, reason });
  }

  async clearBlock(target: string): Promise<boolean> {
    this.admission.operator.forgetRefusals(target);
    return this.admission.operator.blocks.delete(target);
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

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.entries.unshift(entry);
    this.entries.length = Math.min(this.entries.length, MAX_AUDIT_ENTRIES);
  }

  async audit(limit: number): Promise<AuditEntry[]> {
    return this.entries.slice(0, limit);
  }
}
