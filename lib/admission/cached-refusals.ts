// Refusals answered from an instance's local cache, counted into the stats and abuse windows after the fact.
import { runAfterResponse } from "../http/background";
import { storeErrorSummary } from "../resilience/store-health";
import { statsMinute } from "./budget";
import type { AbusePolicy } from "./types";

export interface CachedRefusal {
  scope: "user" | "ip";
  limitKey: string;
  times: number;
}

/** Where the counts go: the Redis script (all instances' stats), or the in-memory operator state. */
export interface RefusalSink {
  countCachedRefusals(now: number, refused: CachedRefusal[], abuse: AbusePolicy | null): Promise<void>;
}

/** Counts are sent at most this long after the refusals, batched: the cached answer itself stays free of I/O. */
const FLUSH_AFTER_MS = 1_000;
/** Distinct identities buffered at most; a flood of more is counted as far as this goes. */
const MAX_BUFFERED = 10_000;

export class CachedRefusalCounter {
  private buffer = new Map<number, Map<string, CachedRefusal>>();
  private size = 0;
  private scheduled = false;

  constructor(
    private readonly sink: RefusalSink,
    private readonly abuse: AbusePolicy | null,
  ) {}

  record(scope: CachedRefusal["scope"], limitKey: string, now: number): void {
    const minute = statsMinute(now);
    let entries = this.buffer.get(minute);
    if (!entries) {
      entries = new Map();
      this.buffer.set(minute, entries);
    }
    const key = `${scope}|${limitKey}`;
    const entry = entries.get(key);
    if (entry) entry.times += 1;
    else if (this.size < MAX_BUFFERED) {
      entries.set(key, { scope, limitKey, times: 1 });
      this.size += 1;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      runAfterResponse(
        new Promise((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(() => this.flush()),
      );
    }
  }

  /** Sends what is buffered, one call per minute it spans. Failures are logged and dropped (stats are best effort). */
  async flush(): Promise<void> {
    const buffer = this.buffer;
    this.buffer = new Map();
    this.size = 0;
    this.scheduled = false;
    await Promise.all(
      [...buffer].map(([minute, entries]) =>
        this.sink
          .countCachedRefusals(minute * 60_000, [...entries.values()], this.abuse)
          .catch((error: unknown) => {
            console.warn(
              `[stats] could not count refusals answered from the local cache (${storeErrorSummary(error)})`,
            );
          }),
      ),
    );
  }
}
