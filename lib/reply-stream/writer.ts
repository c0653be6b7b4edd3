// Records a reply's UI chunks into the store in batches (≤ 4 writes a second) and hears Stop from any instance.
import { storeErrorSummary } from "../resilience/store-health";
import {
  type BufferEntry,
  FLUSH_EVERY_MS,
  type LiveReplyHead,
  type LiveReplyRef,
  type ReplyChunk,
  type ReplyStreamStore,
  STOP_CHECK_EVERY_MS,
} from "./types";

export interface ReplyRecorderOptions {
  store: ReplyStreamStore;
  ref: LiveReplyRef;
  head: LiveReplyHead;
  /** Written first, before the reply's own chunks: what a tab that didn't send the message needs (the turn). */
  lead: ReplyChunk[];
  /** Called once when Stop was asked for (in any tab, on any instance). */
  onStop: () => void;
}

/**
 * A pass-through of the reply's chunks that also appends them to the store: at once for the first (so other
 * tabs see the new message within a poll), then at most every FLUSH_EVERY_MS, text deltas merged. Between
 * appends it asks whether Stop was pressed every STOP_CHECK_EVERY_MS. Store failures never touch the reply:
 * the batch stays pending for the next write, and the tabs reading the buffer only fall behind.
 */
export function recordReply(options: ReplyRecorderOptions): {
  stream: TransformStream<ReplyChunk, ReplyChunk>;
  /** Settles once the last entry is written (or failed): what the platform must keep the function alive for. */
  written: Promise<void>;
} {
  const { store, ref, head, onStop } = options;
  let pending: ReplyChunk[] = [...options.lead];
  let started = false;
  let ended = false;
  let stopHeard = false;
  let failedBefore = false;
  let lastCallAt = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const heard = (stopped: boolean) => {
    if (stopped && !stopHeard) {
      stopHeard = true;
      onStop();
    }
  };
  /** One store call, after the previous one: appends what is pending, or just checks for Stop. */
  const call = (end: boolean) => {
    chain = chain.then(async () => {
      lastCallAt = Date.now();
      if (pending.length === 0 && !end) {
        heard(await store.stopRequested(ref).catch(() => false));
        return;
      }
      const entry: BufferEntry = end ? { chunks: pending, end: true } : { chunks: pending };
      const first = !started;
      pending = [];
      try {
        heard(await store.append(ref, entry, first ? head : undefined));
        started = true;
      } catch (error) {
        // Once per reply: during an outage every batch fails.
        if (!failedBefore) {
          failedBefore = true;
          console.error(
            `[reply-stream] append failed; retried with the next batch (${storeErrorSummary(error)})`,
          );
        }
        pending = [...entry.chunks, ...pending];
      }
    });
    return chain;
  };
  const schedule = () => {
    if (timer || ended) return;
    const wait = started ? Math.max(0, lastCallAt + FLUSH_EVERY_MS - Date.now()) : 0;
    timer = setTimeout(() => {
      timer = undefined;
      void call(false).then(() => {
        if (pending.length > 0) schedule();
      });
    }, wait);
  };
  const stopCheck = setInterval(() => {
    if (!timer && Date.now() - lastCallAt >= STOP_CHECK_EVERY_MS) void call(false);
  }, STOP_CHECK_EVERY_MS / 2);
  stopCheck.unref?.();

  let written!: () => void;
  const finished = new Promise<void>((resolve) => (written = resolve));
  const finish = async () => {
    if (ended) return;
    ended = true;
    clearInterval(stopCheck);
    clearTimeout(timer);
    timer = undefined;
    await call(true);
    written();
  };
  const pass = (chunk: ReplyChunk, controller: TransformStreamDefaultController<ReplyChunk>) => {
    controller.enqueue(chunk);
    pending = appendMerged(pending, chunk);
  };

  const stream = new TransformStream<ReplyChunk, ReplyChunk>({
    transform(chunk, controller) {
      // A stopped reply says so in its metadata, so every tab shows it stopped (not cut off by an error).
      if (chunk.type === "abort")
        pass({ type: "message-metadata", messageMetadata: { incomplete: true } }, controller);
      pass(chunk, controller);
      schedule();
    },
    // Not awaited: the reader's stream ends with the model's, whatever the store does. A hung store (seen with
    // Redis paused) would otherwise hold every reply open after its last word; `written` tells when it landed.
    flush() {
      void finish();
    },
  });
  return { stream, written: finished };
}

/** Appends a chunk, merging a text delta into the previous one of the same part: one chunk per batch, not per token. */
function appendMerged(chunks: ReplyChunk[], chunk: ReplyChunk): ReplyChunk[] {
  const last = chunks.at(-1);
  if (chunk.type === "text-delta" && last?.type === "text-delta" && last.id === chunk.id) {
    chunks[chunks.length - 1] = { ...last, delta: last.delta + chunk.delta };
    return chunks;
  }
  chunks.push(chunk);
  return chunks;
}
