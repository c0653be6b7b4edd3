// In-memory fixed-window limiter for one process: no timers, lazy expiry, periodic sweeps, a hard key cap.
import type { LayerCheck, LayerResult, LimiterBackend } from "./types";

interface Window {
  count: number;
  /** Epoch ms at which this window ends and its counter is forgotten. */
  resetAt: number;
}

export interface MemoryLimiterOptions {
  /** Most windows kept at once (all layers); beyond it expired ones are swept, then the oldest dropped. */
  maxKeys?: number;
  /** Operations between two sweeps of expired windows. */
  sweepEvery?: number;
  now?: () => number;
}

/**
 * Why not a library: rate-limiter-flexible's memory store arms one setTimeout per key, and on Node 24 each
 * timer keeps the async context of the request that created it — Next's whole request — alive until the
 * key expires (measured: ~30 KB per distinct IP for an hour, docs/benchmarks.md). Counting in a Map with
 * lazy expiry holds ~150 bytes per key and nothing else. A window starts at an identifier's first request,
 * so `resetAt` is exact and Retry-After stays honest, as with Upstash's fixed windows.
 */
export class MemoryLimiterBackend implements LimiterBackend {
  readonly kind = "memory" as const;
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;
  private readonly sweepEvery: number;
  private readonly now: () => number;
  private opsSinceSweep = 0;

  constructor(options: MemoryLimiterOptions = {}) {
    this.maxKeys = options.maxKeys ?? 300_000;
    this.sweepEvery = options.sweepEvery ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** How many windows are held (diagnostics and tests). */
  get size(): number {
    return this.windows.size;
  }

  blockedUntil(check: LayerCheck, now: number): number | null {
    const window = this.windows.get(keyOf(check));
    return window && window.resetAt > now && window.count >= check.layer.limit ? window.resetAt : null;
  }

  async consume(check: LayerCheck): Promise<LayerResult> {
    const now = this.now();
    const key = keyOf(check);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      // Re-inserting keeps the Map in (roughly) window-start order, which is what the cap evicts by.
      this.windows.delete(key);
      window = { count: 0, resetAt: now + check.layer.windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    this.housekeeping(now);
    const { limit } = check.layer;
    return {
      ...check,
      success: window.count <= limit,
      remaining: Math.max(0, limit - window.count),
      resetAt: window.resetAt,
    };
  }

  async refund(check: LayerCheck): Promise<void> {
    const window = this.windows.get(keyOf(check));
    if (window && window.resetAt > this.now() && window.count > 0) window.count -= 1;
  }

  private housekeeping(now: number): void {
    this.opsSinceSweep += 1;
    if (this.opsSinceSweep < this.sweepEvery && this.windows.size <= this.maxKeys) return;
    this.opsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still over the cap (a flood of live identifiers): forget the oldest windows rather than run out of
    // memory. Those identifiers start a fresh window — briefly more lenient, never a crash.
    const excess = this.windows.size - Math.floor(this.maxKeys * 0.9);
    if (excess <= 0 || this.windows.size <= this.maxKeys) return;
    let dropped = 0;
    for (const key of this.windows.keys()) {
      if (dropped++ >= excess) break;
      this.windows.delete(key);
    }
  }
}

function keyOf(check: LayerCheck): string {
  return `${check.layer.name}:${check.identifier}`;
}
