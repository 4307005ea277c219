// Pull-based pass-through: the caller gets the same chunks in the same order, one read per pull (backpressure
// kept, nothing buffered), at a fraction of a TransformStream's per-chunk cost.

export type StreamEnd = "done" | "error" | "cancel";

/**
 * Returns a stream that yields `source`'s chunks unchanged, calling `onChunk` for each and `onEnd` once.
 * Callback errors are swallowed: they never reach or disturb the consumer.
 */
export function tap<T>(
  source: ReadableStream<T>,
  onChunk: (chunk: T) => void,
  onEnd: (how: StreamEnd, reason?: unknown) => void,
): ReadableStream<T> {
  const reader = source.getReader();
  let ended = false;
  const end = (how: StreamEnd, reason?: unknown): void => {
    if (ended) return;
    ended = true;
    try {
      onEnd(how, reason);
    } catch {}
  };
  let controller: ReadableStreamDefaultController<T>;
  const onRead = (r: ReadableStreamReadResult<T>): void => {
    if (r.done) {
      end("done");
      return controller.close();
    }
    try {
      onChunk(r.value);
    } catch {}
    controller.enqueue(r.value);
  };
  const onError = (error: unknown): never => {
    end("error", error);
    throw error;
  };
  return new ReadableStream<T>(
    {
      start(c) {
        controller = c;
      },
      pull: () => reader.read().then(onRead, onError),
      cancel(reason) {
        end("cancel", reason);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
