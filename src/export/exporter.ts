import type { ResolvedOptions } from "../core/options";
import { isLongLived, startTimer } from "../core/runtime";
import type { Span } from "../core/span";
import type { Tracer } from "../core/state";
import type { Attributes, DropReason, FlushResult, Stats } from "../core/types";
import { encodeSpan, envelope } from "./otlp";
import { retryAfterMs, type Batch } from "./transport";

/** Resolves truthy if `promises` all settle before `deadline` (epoch ms), falsy at the deadline; clears its timer. */
function until(promises: Promise<unknown>[], deadline: number): Promise<unknown> {
  let timer: any;
  return Promise.race([Promise.allSettled(promises), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]).finally(() =>
    clearTimeout(timer),
  );
}

// set once CompressionStream fails (missing in edge-runtime, a throwing stub in Next's edge sandbox): bodies stay plain JSON
let gzipBroken = false;

/** Fresh counters: every field and every drop reason at 0. */
export const newStats = (): Stats => ({
  sent: 0,
  retries: 0,
  rejected: 0,
  dropped: { queue_full: 0, non_retryable: 0, too_large: 0, retry_exhausted: 0, sampled_out: 0 },
  redactErrors: 0,
  queued: 0,
  pending: 0,
  exports: 0,
});

export const newResult = (): FlushResult => ({ sent: 0, dropped: 0, pending: 0, timedOut: false });

/** Background work flush() waits for, and what to run if it is still open at the deadline */
type Work = [Promise<unknown>, (() => void)?];

/** The span sink of an initialised SDK: spans end into it, flush() exports them. */
export interface Exporter extends Tracer {
  readonly stats: Stats;
  /** Registers background work that flush() waits for; onDeadline runs if it is still open when time runs out. */
  track(promise: Promise<unknown>, onDeadline?: () => void): void;
  /** Exports everything queued so far; waits for background work first when asked. Never rejects. */
  flush(waitForBackground: boolean): Promise<FlushResult>;
}

/**
 * Bounded span queue + OTLP/HTTP export. Export happens only in flush() (and, on long-lived runtimes, on an
 * unref'd timer and whenever a full batch is queued): batches bounded by span count and bytes, sent one at a
 * time, retried per the OTLP spec. State lives in closures, which minify to one-letter names.
 * `onEnqueue` runs after each queued span (the SDK schedules a flush with the platform's waitUntil there).
 */
function createExporter(
  options: ResolvedOptions,
  resource: Attributes,
  version: string,
  report: (error: unknown) => void,
  onEnqueue?: () => void,
): Exporter {
  const stats = newStats();
  const dropped = stats.dropped;
  const prefix = envelope(resource, version);
  // bytes a batch's spans may take inside the envelope (its closing "]}]}]}" included)
  const room = options.maxBatchBytes - prefix.length - 6;
  const onRedactError = () => stats.redactErrors++;
  let queue: Span[] = [];
  /** batches carried over to the next flush (deadline or Retry-After), kept byte-identical */
  let carried: Batch[] = [];
  const inflight = new Set<Promise<unknown>>();
  const background = new Set<Work>();
  /** isolate-wide Retry-After: no export before this time */
  let blockedUntil = 0;
  let soon: any;

  // counts a drop and reports why
  const drop = (reason: DropReason, n: number, why: unknown, result: FlushResult) => {
    dropped[reason] += n;
    result.dropped += n;
    report(Error(`${n} spans dropped (${reason}): ${String(why)}`));
  };

  // sends batches one at a time, each retried per the OTLP spec
  const send = async (batches: Batch[], deadline: number, result: FlushResult): Promise<void> => {
    for (const batch of batches) {
      const n = batch.length;
      for (let attempt = 0, delay = 0; ; attempt++) {
        delay = Math.max(delay, blockedUntil - Date.now());
        let remaining = 0;
        if (Date.now() + delay < deadline) {
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          // built once, so retries and carried batches are byte-identical (an array joins with commas)
          if (!batch.body) {
            const text = (batch.body = prefix + batch + "]}]}]}");
            if (text.length > 1024 && !gzipBroken) {
              try {
                batch.body = await new Response(new Response(text).body!.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
              } catch {
                gzipBroken = true;
              }
            }
          }
          remaining = deadline - Date.now();
        }
        if (remaining <= 0) {
          // out of time: the batch waits, byte-identical, for the next flush
          carried.push(batch);
          stats.pending += n;
          result.timedOut = true;
          break;
        }
        stats.exports++;
        let why: unknown;
        let after: number | undefined;
        let reason: DropReason | 0 | undefined;
        try {
          // a user Authorization header (another OTLP backend's auth) replaces ours instead of being merged with it
          const headers = new Headers(options.headers);
          if (!headers.has("authorization")) headers.set("authorization", "Bearer " + options.apiKey);
          headers.set("content-type", "application/json");
          if (!headers.has("user-agent")) headers.set("user-agent", "fallom-trace-js/" + version);
          if (typeof batch.body != "string") headers.set("content-encoding", "gzip");
          // the timeout also bounds reading the response body
          const res = await options.fetch(options.tracesUrl + "/v1/traces", {
            method: "POST",
            headers,
            body: batch.body,
            signal: AbortSignal.timeout(Math.min(options.exportTimeoutMs, remaining)),
          });
          const status = res.status;
          let text = "";
          let partial: any;
          // every body is read (or cancelled by the timeout) so runtimes never stall the connection
          try {
            text = await res.text();
            partial = JSON.parse(text).partialSuccess;
          } catch {}
          if (res.ok) {
            const rejected = Math.min(n, +partial?.rejectedSpans || 0);
            stats.sent += n - rejected;
            result.sent += n - rejected;
            stats.rejected += rejected;
            if (rejected) report(Error(`${rejected} spans rejected: ${partial?.errorMessage || undefined}`));
            break;
          }
          why = `HTTP ${status}${text && ": " + text.slice(0, 200)}`;
          // the OTLP spec retries only these (and network errors)
          if ([429, 502, 503, 504].includes(status)) after = retryAfterMs(res.headers.get("retry-after"));
          else reason = status == 413 ? "too_large" : "non_retryable";
        } catch (error) {
          why = error;
        }
        if (reason == "too_large" && n > 1) {
          // 413: never resend the same body; halve until it fits
          const half = Math.ceil(n / 2);
          await send([batch.slice(0, half), batch.slice(half)], deadline, result);
          break;
        }
        if ((reason ||= attempt < options.maxRetries ? 0 : "retry_exhausted")) {
          drop(reason, n, why, result);
          break;
        }
        stats.retries++;
        if (after === undefined) delay = Math.random() * options.retryBaseMs * 2 ** attempt;
        else blockedUntil = Math.max(blockedUntil, Date.now() + (delay = after));
      }
    }
  };

  const flush = async (waitForBackground: boolean): Promise<FlushResult> => {
    const result = newResult();
    const deadline = Date.now() + options.flushTimeoutMs;
    try {
      const works = waitForBackground ? [...background] : [];
      // leave a fifth of the budget (≤ 5 s) for the export itself
      if (!(await until(works.map((w) => w[0]), deadline - Math.min(5000, options.flushTimeoutMs / 5)))) {
        result.timedOut = true;
        for (const w of works) {
          try {
            if (background.delete(w)) w[1]?.();
          } catch {}
        }
      }
      const spans = queue;
      const todo = carried;
      queue = [];
      carried = [];
      stats.pending = stats.queued = 0;
      let batch: Batch = [];
      // "full" so the first span opens a batch
      let bytes = room;
      for (const span of spans) {
        let json: string;
        try {
          json = encodeSpan(span, options, onRedactError);
        } catch (error) {
          drop("non_retryable", 1, error, result);
          continue;
        }
        // UTF-16 length is a lower bound of UTF-8 bytes; multiply non-ASCII-heavy text safely
        const size = json.length * (/[^\x00-\x7f]/.test(json) ? 3 : 1) + 1;
        if (size > room) {
          drop("too_large", 1, `"${span.name}" is ${size} bytes > maxBatchBytes`, result);
          continue;
        }
        if (bytes + size > room || batch.length >= options.maxBatchSize) {
          todo.push((batch = []));
          bytes = 0;
        }
        batch.push(json);
        bytes += size;
      }
      // one export at a time, isolate-wide: a Retry-After seen by an earlier flush holds this one back too;
      // exports started earlier count as "started so far", waited for within our deadline
      const others = [...inflight];
      const own = until(others, deadline).then((settled) => ((result.timedOut ||= !settled), send(todo, deadline, result)));
      inflight.add(own);
      await own.finally(() => inflight.delete(own));
    } catch (error) {
      report(error);
    }
    result.pending = queue.length + stats.pending;
    return result;
  };

  const longLived = isLongLived();
  if (options.flushIntervalMs && longLived) startTimer(() => void ((queue.length || carried.length) && flush(false)), options.flushIntervalMs);

  return {
    options,
    stats,
    flush,

    onEnd(span) {
      if (queue.length + stats.pending >= options.maxQueueSize) {
        // drop oldest: recent spans are the ones a user is looking for
        if (!queue.shift()) {
          const old = carried.shift()!.length;
          stats.pending -= old;
          dropped.queue_full += old - 1;
        }
        dropped.queue_full++;
      }
      // long-lived servers export a full batch soon — after the current task, so encoding never runs inside the
      // caller's span.end() — unless an export is already running (bounded memory)
      if ((stats.queued = queue.push(span)) >= options.maxBatchSize && !inflight.size && !soon && longLived) {
        (soon = setTimeout(() => {
          soon = 0;
          flush(false);
        }, 0) as any).unref?.();
      }
      onEnqueue?.();
    },

    onSampledOut: () => void dropped.sampled_out++,

    track(promise, onDeadline) {
      const work: Work = [promise, onDeadline];
      const done = () => background.delete(work);
      background.add(work);
      promise.then(done, done);
    },
  };
}

/** `new Exporter(options, resource, version, report, onEnqueue?)` (plain calls work too) */
export const Exporter = createExporter as unknown as new (...args: Parameters<typeof createExporter>) => Exporter;
