// Turns a UI message stream that *throws* (upstream connection dropped mid-body) into one that ends with an error chunk.
import type { UIMessageChunk } from "ai";

/**
 * AI SDK 7 reports errors that happen before streaming as `error` chunks, but an upstream body that breaks
 * mid-stream (socket closed, proxy reset) errors the stream itself: `toUIMessageStream` rethrows, the HTTP
 * response is cut off and useChat never sees an error. This wrapper converts that into a final
 * `{ type: "error", errorText }` chunk and a clean close. Cancellation still reaches the source, so a client
 * disconnect keeps cancelling the model request.
 */
export function guardUIMessageStream<CHUNK extends UIMessageChunk>(
  stream: ReadableStream<CHUNK>,
  errorText: (error: unknown) => string,
): ReadableStream<CHUNK | { type: "error"; errorText: string }> {
  const reader = stream.getReader();
  return new ReadableStream<CHUNK | { type: "error"; errorText: string }>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.enqueue({ type: "error", errorText: errorText(error) });
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
