// In-memory reply buffers: the embedded default (one process), same contract and expiry as Redis.
import {
  type BufferEntry,
  FINISHED_TTL_MS,
  type LatestReply,
  LIVE_TTL_MS,
  type LiveReplyHead,
  type LiveReplyRef,
  type ReplyStreamStore,
} from "./types";

interface Latest {
  head: LiveReplyHead;
  done: boolean;
  expiresAt: number;
}

interface Buffer {
  entries: string[];
  expiresAt: number;
}

export class MemoryReplyStreamStore implements ReplyStreamStore {
  private readonly latestReplies = new Map<string, Latest>();
  private readonly buffers = new Map<string, Buffer>();
  private readonly stops = new Map<string, string>();

  constructor(
    /** Whether `owner` owns the conversation (the memory chat store knows). */
    private readonly owns: (owner: string, conversationId: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  async append(ref: LiveReplyRef, entry: BufferEntry, head?: LiveReplyHead): Promise<boolean> {
    const key = latestKey(ref.owner, ref.conversationId);
    const expiresAt = this.now() + (entry.end ? FINISHED_TTL_MS : LIVE_TTL_MS);
    if (head) {
      this.sweep();
      this.latestReplies.set(key, { head, done: false, expiresAt });
      this.stops.delete(key);
    }
    const buffer = this.liveBuffer(ref.streamId) ?? { entries: [], expiresAt };
    // Stored as JSON, like Redis: a reader never shares objects with the writer.
    buffer.entries.push(JSON.stringify(entry));
    buffer.expiresAt = expiresAt;
    this.buffers.set(ref.streamId, buffer);
    const latest = this.liveLatest(key);
    if (latest?.head.streamId === ref.streamId) {
      latest.done ||= entry.end === true;
      latest.expiresAt = expiresAt;
    }
    return this.stops.get(key) === ref.streamId;
  }

  async stopRequested(ref: LiveReplyRef): Promise<boolean> {
    const key = latestKey(ref.owner, ref.conversationId);
    const expiresAt = this.now() + LIVE_TTL_MS;
    const buffer = this.liveBuffer(ref.streamId);
    if (buffer) buffer.expiresAt = expiresAt;
    const latest = this.liveLatest(key);
    if (latest?.head.streamId === ref.streamId && !latest.done) latest.expiresAt = expiresAt;
    return this.stops.get(key) === ref.streamId;
  }

  async latest(owner: string, conversationId: string): Promise<LatestReply> {
    if (!this.owns(owner, conversationId)) return { owned: false, head: null };
    const latest = this.liveLatest(latestKey(owner, conversationId));
    return { owned: true, head: latest ? { ...latest.head, done: latest.done } : null };
  }

  async read(streamId: string, cursor: number): Promise<BufferEntry[] | null> {
    const buffer = this.liveBuffer(streamId);
    if (!buffer) return null;
    return buffer.entries.slice(cursor).map((entry) => JSON.parse(entry) as BufferEntry);
  }

  async requestStop(owner: string, conversationId: string): Promise<"stopping" | "none" | "not_found"> {
    if (!this.owns(owner, conversationId)) return "not_found";
    const key = latestKey(owner, conversationId);
    const latest = this.liveLatest(key);
    if (!latest || latest.done) return "none";
    this.stops.set(key, latest.head.streamId);
    return "stopping";
  }

  /** Drops every expired buffer (done when a reply starts, so a long-running process never accumulates them). */
  private sweep(): void {
    const now = this.now();
    for (const [key, latest] of this.latestReplies) {
      if (latest.expiresAt <= now) {
        this.latestReplies.delete(key);
        this.stops.delete(key);
      }
    }
    for (const [id, buffer] of this.buffers) if (buffer.expiresAt <= now) this.buffers.delete(id);
  }

  private liveLatest(key: string): Latest | undefined {
    const latest = this.latestReplies.get(key);
    if (latest && latest.expiresAt <= this.now()) {
      this.latestReplies.delete(key);
      this.stops.delete(key);
      return undefined;
    }
    return latest;
  }

  private liveBuffer(streamId: string): Buffer | undefined {
    const buffer = this.buffers.get(streamId);
    if (buffer && buffer.expiresAt <= this.now()) {
      this.buffers.delete(streamId);
      return undefined;
    }
    return buffer;
  }
}

const latestKey = (owner: string, conversationId: string) => `${owner}\n${conversationId}`;
