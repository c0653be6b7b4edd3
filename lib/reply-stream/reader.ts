// Replays a reply's buffer from its start and follows it live: what a reloaded or second tab streams.
import { READ_EVERY_MS, type ReplyChunk, type ReplyStreamStore } from "./types";

/**
 * The buffer's chunks from the beginning, then each new batch as the writer appends it (polled every
 * READ_EVERY_MS with a cursor), until its last entry — or until it expires (its writer died) or the
 * reader goes away. One store call per poll.
 */
export function followReply(store: ReplyStreamStore, streamId: string): ReadableStream<ReplyChunk> {
  let cursor = 0;
  let cancelled = false;
  let lastReadAt = 0;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return new ReadableStream<ReplyChunk>({
    async pull(controller) {
      while (!cancelled) {
        // At most one read every READ_EVERY_MS, whether the last one found something or not.
        const wait = lastReadAt + READ_EVERY_MS - Date.now();
        if (lastReadAt && wait > 0) await pause(wait);
        if (cancelled) return;
        lastReadAt = Date.now();
        const entries = await store.read(streamId, cursor).catch(() => []);
        if (entries === null) {
          // Expired mid-reply: its writer is gone. The tab gets what there was and loads the stored turn.
          controller.close();
          return;
        }
        if (entries.length > 0) {
          cursor += entries.length;
          for (const entry of entries) for (const chunk of entry.chunks) controller.enqueue(chunk);
          if (entries.some((entry) => entry.end)) controller.close();
          return;
        }
      }
    },
    cancel() {
      cancelled = true;
      wake?.();
    },
  });
}
