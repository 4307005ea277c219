import type { ResolvedOptions } from "../core/options";
import { isLongLived, startTimer } from "../core/runtime";
import type { Span } from "../core/span";
import type { Tracer } from "../core/state";
import type { Attributes, DropReason, FlushResult, Stats } from "../core/types";
import { encodeSpan, envelope } from "./otlp";
import { buildBody, post, type Batch } from "./transport";

/** Resolves truthy if `promise` settles before `deadline` (epoch ms), falsy at the deadline; clears its timer. */
function until(promise: Promise<unknown>, deadline: number): Promise<unknown> {
  let timer: any;
  return Promise.race([promise.then(() => 1, () => 1), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]).finally(
    () => clearTimeout(timer),
  );
}

/** Fresh counters: every field and every drop reason at 0. */
export const newStats = (): Stats => ({
  sent: 0,
  retries: 0,
  rejected: 0,
  dropped: { queue_full: 0, non_retryable: 0, too_large: 0, rate_limited: 0, retry_exhausted: 0, sampled_out: 0, disabled: 0 },
  redactErrors: 0,
  queued: 0,
  pending: 0,
  exports: 0,
});

export const newResult = (): FlushResult => ({ sent: 0, dropped: 0, pending: 0, timedOut: false });

interface Work {
  promise: Promise<unknown>;
  onDeadline?: () => void;
}

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
  const env = envelope(resource, version);
  const onRedactError = () => stats.redactErrors++;
  let queue: Span[] = [];
  /** batches carried over to the next flush (deadline or Retry-After), kept byte-identical */
  let carried: Batch[] = [];
  const inflight = new Set<Promise<unknown>>();
  const background = new Set<Work>();
  /** isolate-wide Retry-After: no export before this time */
  let blockedUntil = 0;

  // counts a drop and reports why
  const drop = (reason: DropReason, n: number, why: unknown, result?: FlushResult) => {
    dropped[reason] += n;
    if (result) result.dropped += n;
    report(Error(`${n} spans dropped (${reason}): ${why}`));
  };

  const batches = (spans: Span[], result: FlushResult): Batch[] => {
    const room = options.maxBatchBytes - env[0].length - env[1].length;
    const out: Batch[] = [];
    let current: string[] = [];
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
      if (bytes + size > room || current.length >= options.maxBatchSize) {
        out.push({ spans: (current = []) });
        bytes = 0;
      }
      current.push(json);
      bytes += size;
    }
    return out;
  };

  const send = async (batch: Batch, deadline: number, result: FlushResult): Promise<void> => {
    const n = batch.spans.length;
    for (let attempt = 0, delay = 0; ; attempt++) {
      delay = Math.max(delay, blockedUntil - Date.now());
      let remaining = 0;
      if (Date.now() + delay < deadline) {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await buildBody(batch, env);
        remaining = deadline - Date.now();
      }
      if (remaining <= 0) {
        // out of time: the batch waits, byte-identical, for the next flush
        carried.push(batch);
        stats.pending += n;
        result.timedOut = true;
        return;
      }
      stats.exports++;
      const outcome = await post(batch, options, Math.min(options.exportTimeoutMs, remaining));
      if ("ok" in outcome) {
        const rejected = Math.min(n, outcome.rejected);
        stats.sent += n - rejected;
        result.sent += n - rejected;
        stats.rejected += rejected;
        if (rejected) report(Error(`${rejected} spans rejected: ${outcome.message}`));
        return;
      }
      const reason = "drop" in outcome ? outcome.drop : attempt < options.maxRetries ? 0 : "retry_exhausted";
      if (reason == "too_large" && n > 1) {
        // 413: never resend the same body; halve until it fits
        const half = Math.ceil(n / 2);
        await send({ spans: batch.spans.slice(0, half) }, deadline, result);
        return send({ spans: batch.spans.slice(half) }, deadline, result);
      }
      if (reason) return drop(reason, n, outcome.reason, result);
      stats.retries++;
      const { after } = outcome as { after?: number };
      delay = after ?? Math.random() * options.retryBaseMs * 2 ** attempt;
      if (after !== undefined) blockedUntil = Math.max(blockedUntil, Date.now() + after);
    }
  };

  const flush = async (waitForBackground: boolean): Promise<FlushResult> => {
    const result = newResult();
    const deadline = Date.now() + options.flushTimeoutMs;
    try {
      const works = waitForBackground ? [...background] : [];
      // leave a fifth of the budget (≤ 5 s) for the export itself
      if (works.length && !(await until(Promise.allSettled(works.map((w) => w.promise)), deadline - Math.min(5000, options.flushTimeoutMs / 5)))) {
        result.timedOut = true;
        for (const w of works) {
          try {
            if (background.delete(w)) w.onDeadline?.();
          } catch {}
        }
      }
      const spans = queue;
      queue = [];
      const todo = carried.concat(batches(spans, result));
      carried = [];
      stats.pending = stats.queued = 0;
      const others = [...inflight];
      const own = (async () => {
        for (const batch of todo) await send(batch, deadline, result);
      })();
      inflight.add(own);
      await own.finally(() => inflight.delete(own));
      // exports started earlier (other flushes) count as "started so far"; bounded by our deadline
      if (!(await until(Promise.all(others), deadline))) result.timedOut = true;
    } catch (error) {
      report(error);
    }
    result.pending = queue.length + stats.pending;
    return result;
  };

  const longLived = isLongLived();
  let soon: unknown;
  if (options.flushIntervalMs && longLived) startTimer(() => void ((queue.length || carried.length) && flush(false)), options.flushIntervalMs);

  return {
    options,
    stats,
    flush,

    onEnd(span) {
      if (queue.length + stats.pending >= options.maxQueueSize) {
        // drop oldest: recent spans are the ones a user is looking for
        if (!queue.shift()) {
          const old = carried.shift()!.spans.length;
          stats.pending -= old;
          dropped.queue_full += old - 1;
        }
        dropped.queue_full++;
      }
      stats.queued = queue.push(span);
      // long-lived servers export a full batch soon — after the current task, so encoding never runs inside the
      // caller's span.end() — unless an export is already running (bounded memory)
      if (queue.length >= options.maxBatchSize && !inflight.size && !soon && longLived) {
        soon = setTimeout(() => {
          soon = undefined;
          void flush(false);
        }, 0);
        (soon as any).unref?.();
      }
      onEnqueue?.();
    },

    onSampledOut: () => void dropped.sampled_out++,

    track(promise, onDeadline) {
      const work = { promise, onDeadline };
      const done = () => background.delete(work);
      background.add(work);
      promise.then(done, done);
    },
  };
}

/** `new Exporter(options, resource, version, report, onEnqueue?)` (plain calls work too) */
export const Exporter = createExporter as unknown as new (...args: Parameters<typeof createExporter>) => Exporter;
