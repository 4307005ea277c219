// A streamed call's span: TTFT at the first content chunk, ended exactly once on finish, error, cancel (`break`,
// `return()`, a cancelled ReadableStream) or, for a stream nobody finished reading, at the flush deadline.
import { nowMs } from "../../core/clock";
import { track } from "../../core/sdk";
import type { Span } from "../../core/span";
import { fail } from "./llm-span";

export interface StreamSpan {
  /** `hasContent`: the chunk carries generated content (text, reasoning, tool call): the first one sets TTFT */
  chunk(hasContent: boolean): void;
  end(how: "done" | "error" | "cancel", reason?: unknown): void;
}

/** `finish` records what the finished stream gathered (usage, output) before the span ends */
export function streamSpan(span: Span, finish: () => void): StreamSpan {
  let waiting = true;
  let open = true;
  let release: () => void;
  const close = (): void => {
    open = false;
    span.end();
    release();
  };
  // the caller stopped reading, or never finished before the flush deadline: usage stays absent
  const abandon = (why: string): void => {
    span.setAttribute("fallom.stream." + why, true);
    span.setStatus("error", why);
    close();
  };
  track(new Promise<void>((r) => (release = r)), () => open && abandon("unconsumed"));
  return {
    chunk(hasContent) {
      if (waiting && hasContent) {
        waiting = false;
        span.setAttribute("gen_ai.response.time_to_first_chunk", (nowMs() - span.startTime) / 1000);
      }
    },
    end(how, reason) {
      if (!open) return;
      if (how == "cancel") return abandon("cancelled");
      if (how == "error") {
        open = false;
        fail(span, reason);
        return release();
      }
      try {
        finish();
      } catch {}
      close();
    },
  };
}

/**
 * The same iterator, observed: `onChunk` sees each value, `s.end` is told how it ended (a `return()` is a cancel:
 * `break` calls it). Observer errors are swallowed; values, errors and `return()` pass through unchanged.
 */
export function tapIterator<T>(it: AsyncIterator<T>, s: StreamSpan, onChunk: (chunk: T) => void): AsyncIterableIterator<T> {
  const step = (p: Promise<IteratorResult<T>>): Promise<IteratorResult<T>> =>
    p.then(
      (r) => {
        try {
          if (r.done) s.end("done");
          else onChunk(r.value);
        } catch {}
        return r;
      },
      (error) => {
        s.end("error", error);
        throw error;
      },
    );
  return {
    next: (value?: any) => step(it.next(value)),
    return(value?: any) {
      s.end("cancel");
      return it.return ? it.return(value) : Promise.resolve({ done: true, value });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Observes an SDK stream and returns what the caller gets: a Stainless `Stream` (openai, @anthropic-ai/sdk) stays the
 * same object, its `iterator` tapped, so `tee()`, `toReadableStream()`, `controller` and async iteration all keep
 * working; any other async iterable comes back as an iterator over the same values.
 */
export function tapStream<T>(stream: any, s: StreamSpan, onChunk: (chunk: T) => void): any {
  const iterator = stream?.iterator;
  if (typeof iterator == "function") {
    // the per-call stream object (not the client): its own iterator factory, as the SDK's own decorators replace it
    stream.iterator = function (this: unknown) {
      return tapIterator(iterator.apply(this, arguments), s, onChunk);
    };
    return stream;
  }
  if (typeof stream?.[Symbol.asyncIterator] == "function") return tapIterator(stream[Symbol.asyncIterator](), s, onChunk);
  s.end("done");
  return stream;
}
