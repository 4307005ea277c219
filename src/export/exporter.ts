import type { ResolvedOptions } from "../core/options";
import { isLongLived, startTimer } from "../core/runtime";
import type { Span, SpanOwner } from "../core/span";
import type { Tracer } from "../core/state";
import type { Attributes, DropReason, FlushResult, Stats } from "../core/types";
import { encodeSpan, envelope } from "./otlp";
import { retryAfterMs, type Batch } from "./transport";

// set once CompressionStream fails (missing in edge-runtime, a throwing stub in Next's edge sandbox): bodies stay plain JSON
let gzipBroken = false;

/** Export requests in flight at once, isolate-wide: while all are busy, spans wait in the queue and leave in bigger batches */
const MAX_EXPORTS = 6;

/** Waits on a timer of the caller's own request: shared state is polled, never awaited across requests. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Background work: settled yet, and what to run if it is still open at the covering flush's deadline */
interface Work {
  done?: boolean;
  onDeadline?: () => void;
}

/**
 * What one flush() covers: the sessions and work active when it was called, and the spans they start while it
 * runs. Each flush claims the cover that was filling up and waits until it settles (polling plain counters).
 */
interface Cover {
  /** open spans and unsettled work counted here */
  busy: number;
  /** owners expecting a span soon (their `expect` time) */
  owners: Set<SpanOwner>;
  works: Set<Work>;
  /** its flush has returned: new activity counts in the next cover */
  done?: boolean;
}

const newCover = (): Cover => ({ busy: 0, owners: new Set(), works: new Set() });

/** The span sink of an initialised SDK: spans end into it, flush() exports them. */
export interface Exporter extends Tracer {
  readonly stats: Stats;
  /** Registers background work that the flush covering `owner` (default: the next flush) waits for; onDeadline runs if it is still open when time runs out. */
  track(promise: Promise<unknown>, onDeadline?: () => void, owner?: SpanOwner): void;
  /**
   * Exports everything queued so far with this call's own requests. With `cover`, also waits for the sessions and
   * work active since the previous flush() call (and the spans they start meanwhile), exporting spans as they end.
   * Never rejects.
   */
  flush(cover: boolean): Promise<FlushResult>;
}

/**
 * Bounded span queue + OTLP/HTTP export. Export happens only in flush() (and, on long-lived runtimes, on an
 * unref'd timer and whenever a full batch is queued): batches bounded by span count and bytes, sent concurrently
 * (at most MAX_EXPORTS isolate-wide), retried per the OTLP spec. A flush only awaits promises it created itself:
 * everything shared (queue, batches, Retry-After, slots, covers) is plain state it polls with its own timers, so
 * no request ever waits on, or resolves, another request's I/O (Workers cancel a request's I/O when it ends).
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
  /** encoded batches waiting for a sender: new ones, and those carried past a flush's deadline (byte-identical) */
  let ready: Batch[] = [];
  /** export requests in flight, isolate-wide */
  let active = 0;
  /** spans ever queued, and those taken off the queue since (into batches, or dropped): a flush waits until what was queued when it is done has been taken */
  let enqueued = 0;
  let taken = 0;
  /** isolate-wide Retry-After: no export before this time */
  let blockedUntil = 0;
  /** the cover the next flush() will claim */
  let open = newCover();
  let soon: any;

  // the cover an owner's activity counts in: that of the flush covering it while that flush runs, else the next one
  const live = (owner?: SpanOwner): Cover => {
    const c = owner?.cover as Cover | undefined;
    return c && !c.done ? c : owner ? (owner.cover = open) : open;
  };

  const settled = (c: Cover, now: number): boolean => {
    for (const o of c.owners) if (!(o.expect! > now)) c.owners.delete(o);
    return c.busy <= 0 && !c.owners.size;
  };

  // counts a drop and reports why
  const drop = (reason: DropReason, n: number, why: unknown, result: FlushResult) => {
    dropped[reason] += n;
    result.dropped += n;
    report(Error(`${n} spans dropped (${reason}): ${String(why)}`));
  };

  // the batch is done with (sent or dropped): it no longer counts as pending
  const settle = (n: number) => (stats.pending -= n);

  // sends one batch, retried per the OTLP spec; out of time, it goes back to `ready` for a later flush
  const send = async (batch: Batch, deadline: number, result: FlushResult): Promise<void> => {
    const n = batch.length;
    for (let attempt = 0, at = 0; ; attempt++) {
      // wait for the backoff, the isolate-wide Retry-After (another flush may extend it meanwhile) and a free slot, on our own timers
      for (let poll = 1; ; poll = Math.min(2 * poll, 10)) {
        const wake = Math.max(at, blockedUntil);
        const now = Date.now();
        if (wake >= deadline || now >= deadline) {
          // out of time: the batch waits, byte-identical, for the next flush (or the exit flush)
          ready.push(batch);
          result.timedOut = true;
          return;
        }
        if (now >= wake && active < MAX_EXPORTS) break;
        await sleep(wake > now ? wake - now : poll);
      }
      active++;
      stats.exports++;
      let why: unknown;
      let after: number | undefined;
      let reason: DropReason | 0 | undefined;
      try {
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
          signal: AbortSignal.timeout(Math.min(options.exportTimeoutMs, deadline - Date.now())),
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
          settle(n);
          stats.sent += n - rejected;
          result.sent += n - rejected;
          stats.rejected += rejected;
          if (rejected) report(Error(`${rejected} spans rejected: ${partial?.errorMessage || undefined}`));
          return;
        }
        why = `HTTP ${status}${text && ": " + text.slice(0, 200)}`;
        // the OTLP spec retries only these (and network errors)
        if ([429, 502, 503, 504].includes(status)) after = retryAfterMs(res.headers.get("retry-after"));
        else reason = status == 413 ? "too_large" : "non_retryable";
      } catch (error) {
        why = error;
      } finally {
        active--;
      }
      if (reason == "too_large" && n > 1) {
        // 413: never resend the same body; halve until it fits (the halves take over this batch's pending count)
        const half = Math.ceil(n / 2);
        await Promise.all([send(batch.slice(0, half), deadline, result), send(batch.slice(half), deadline, result)]);
        return;
      }
      if ((reason ||= attempt < options.maxRetries ? 0 : "retry_exhausted")) {
        settle(n);
        drop(reason, n, why, result);
        return;
      }
      stats.retries++;
      if (after === undefined) at = Date.now() + Math.random() * options.retryBaseMs * 2 ** attempt;
      else blockedUntil = Math.max(blockedUntil, (at = Date.now() + after));
    }
  };

  // queued spans → batches in `ready`, bounded by span count and bytes
  const encode = (result: FlushResult): void => {
    const spans = queue;
    queue = [];
    stats.queued = 0;
    taken += spans.length;
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
        ready.push((batch = []));
        bytes = 0;
      }
      batch.push(json);
      bytes += size;
      stats.pending++;
    }
  };

  const flush = async (cover: boolean): Promise<FlushResult> => {
    const result = newResult();
    const deadline = Date.now() + options.flushTimeoutMs;
    const own: Promise<void>[] = [];
    // takes everything queued now and sends it with this flush's own requests — unless every export slot is busy:
    // then the spans wait in the queue for a later pass (of this or another flush) and leave in a bigger batch
    const pass = (): void => {
      if (active < MAX_EXPORTS) {
        try {
          encode(result);
          for (const batch of ready.splice(0)) own.push(send(batch, deadline, result).catch(report));
        } catch (error) {
          report(error);
        }
      }
    };
    try {
      const c = cover ? open : undefined;
      if (c) open = newCover();
      pass();
      if (c) {
        // leave a fifth of the budget (≤ 5 s) for the export of what ends at the deadline
        const stop = deadline - Math.min(5000, options.flushTimeoutMs / 5);
        for (let poll = 1; !settled(c, Date.now()); poll = Math.min(2 * poll, 10)) {
          if (Date.now() >= stop) {
            result.timedOut = true;
            for (const w of c.works) {
              try {
                if (!w.done) (w.done = true), c.busy--, w.onDeadline?.();
              } catch {}
            }
            break;
          }
          await sleep(Math.min(poll, stop - Date.now()));
          // export as spans end (within 10 ms): a slow request never delays a fast one's delivery
          pass();
        }
        c.done = true;
        c.owners.clear();
        c.works.clear();
      }
      // everything queued by now leaves with this flush or another one (polled: no other flush is awaited)
      const mark = enqueued;
      for (let poll = 1; (pass(), taken < mark) && Date.now() < deadline; poll = Math.min(2 * poll, 10)) await sleep(poll);
      result.timedOut ||= taken < mark;
      // senders started by later passes join `own` meanwhile
      for (let n = 0; n < own.length; n = own.length) await Promise.all(own);
    } catch (error) {
      report(error);
    }
    // what still waits for a sender (another flush's requests in flight are not this flush's to count)
    result.pending = queue.length;
    for (const batch of ready) result.pending += batch.length;
    return result;
  };

  const longLived = isLongLived();
  if (options.flushIntervalMs && longLived) startTimer(() => void ((queue.length || ready.length) && flush(false)), options.flushIntervalMs);

  return {
    options,
    stats,
    flush,

    onStart(span) {
      const owner = span.owner;
      (span.cover = live(owner)).busy++;
      // the span the owner was expected to start has started (it is counted as open now)
      if (owner) owner.expect = 0;
    },

    onEnd(span) {
      const c = span.cover as Cover | undefined;
      if (c) c.busy--;
      if (queue.length + stats.pending >= options.maxQueueSize) {
        // drop oldest: recent spans are the ones a user is looking for; batches in flight can't be taken back
        if (queue.shift()) taken++;
        else {
          const old = ready.shift()?.length;
          if (old == undefined) return void dropped.queue_full++;
          stats.pending -= old;
          dropped.queue_full += old - 1;
        }
        dropped.queue_full++;
      }
      // long-lived servers export a full batch soon — after the current task, so encoding never runs inside the
      // caller's span.end()
      enqueued++;
      if ((stats.queued = queue.push(span)) >= options.maxBatchSize && !soon && longLived) {
        (soon = setTimeout(() => {
          soon = 0;
          flush(false);
        }, 0) as any).unref?.();
      }
      onEnqueue?.();
    },

    onSampledOut: () => void dropped.sampled_out++,

    expect(owner, ms) {
      const c = live(owner);
      owner.expect = Math.max(owner.expect || 0, Date.now() + ms);
      // a server that never calls flush() keeps one cover open: forget expectations that are over
      if (c.owners.add(owner).size > 256) settled(c, Date.now());
    },

    track(promise, onDeadline, owner) {
      const c = live(owner);
      const work: Work = { onDeadline };
      const done = () => {
        if (!work.done) (work.done = true), c.busy--, c.works.delete(work);
      };
      c.busy++;
      c.works.add(work);
      promise.then(done, done);
    },
  };
}

/** `new Exporter(options, resource, version, report, onEnqueue?)` (plain calls work too) */
export const Exporter = createExporter as unknown as new (...args: Parameters<typeof createExporter>) => Exporter;
