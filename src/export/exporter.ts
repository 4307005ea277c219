import type { ResolvedOptions } from "../core/options";
import type { Span } from "../core/span";
import type { Attributes, DropReason, FlushResult, Stats } from "../core/types";
import { encodeSpan, envelope } from "./otlp";
import { buildBody, post, type Batch } from "./transport";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves after `promise` settles or at `deadline` (epoch ms); true when it settled in time. Clears its timer. */
async function until(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: unknown;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer as number);
  }
}

interface Work {
  promise: Promise<unknown>;
  onDeadline?: () => void;
}

/**
 * Bounded span queue + OTLP/HTTP export. Export happens only in flush() (and the long-lived runtimes' timer):
 * batches bounded by span count and bytes, sent one at a time, retried per the OTLP spec.
 */
export class Exporter {
  readonly stats: Stats = {
    sent: 0,
    retries: 0,
    rejected: 0,
    dropped: { queue_full: 0, non_retryable: 0, too_large: 0, rate_limited: 0, retry_exhausted: 0, sampled_out: 0, disabled: 0 },
    redactErrors: 0,
    queued: 0,
    pending: 0,
    exports: 0,
  };
  private queue: Span[] = [];
  /** batches carried over to the next flush (deadline or Retry-After), kept byte-identical */
  private carried: Batch[] = [];
  private inflight = new Set<Promise<unknown>>();
  private background = new Set<Work>();
  /** isolate-wide Retry-After: no export before this time */
  private blockedUntil = 0;
  private readonly envelope: [string, string];

  constructor(
    private readonly options: ResolvedOptions,
    resource: Attributes,
    version: string,
    private readonly report: (error: unknown) => void,
  ) {
    this.envelope = envelope(resource, version);
  }

  private drop(reason: DropReason, count: number, result?: FlushResult): void {
    this.stats.dropped[reason] += count;
    if (result) result.dropped += count;
  }

  enqueue(span: Span): void {
    const max = this.options.maxQueueSize;
    if (this.queue.length + this.stats.pending >= max) {
      // drop oldest: recent spans are the ones a user is looking for
      if (this.queue.length) this.queue.shift();
      else {
        const old = this.carried.shift()!;
        this.stats.pending -= old.spans.length;
        this.drop("queue_full", old.spans.length - 1);
      }
      this.drop("queue_full", 1);
    }
    this.queue.push(span);
    this.stats.queued = this.queue.length;
  }

  get size(): number {
    return this.queue.length;
  }

  /** an export is running: a full queue waits for it instead of stacking exports (bounded memory) */
  get busy(): boolean {
    return this.inflight.size > 0;
  }

  /** Registers background work that flush() waits for; onDeadline runs if it is still open when time runs out. */
  track(promise: Promise<unknown>, onDeadline?: () => void): void {
    const work: Work = { promise, onDeadline };
    this.background.add(work);
    promise.then(
      () => this.background.delete(work),
      () => this.background.delete(work),
    );
  }

  private batches(spans: Span[]): Batch[] {
    const { maxBatchSize, maxBatchBytes, redact } = this.options;
    const room = maxBatchBytes - this.envelope[0].length - this.envelope[1].length;
    const out: Batch[] = [];
    let current: Batch = { spans: [] };
    let bytes = 0;
    const onRedactError = () => this.stats.redactErrors++;
    for (const span of spans) {
      let json: string;
      try {
        json = encodeSpan(span, redact, onRedactError);
      } catch (error) {
        this.report(error);
        this.drop("non_retryable", 1);
        continue;
      }
      // UTF-16 length is a lower bound of UTF-8 bytes; multiply non-ASCII-heavy text safely
      const size = json.length * (/[^\x00-\x7f]/.test(json) ? 3 : 1) + 1;
      if (size > room) {
        this.drop("too_large", 1);
        this.report(new Error(`span "${span.name}" is ${size} bytes, over maxBatchBytes; dropped`));
        continue;
      }
      if (current.spans.length && (current.spans.length >= maxBatchSize || bytes + size > room)) {
        out.push(current);
        current = { spans: [] };
        bytes = 0;
      }
      current.spans.push(json);
      bytes += size;
    }
    if (current.spans.length) out.push(current);
    return out;
  }

  private carry(batch: Batch, result: FlushResult): void {
    this.carried.push(batch);
    this.stats.pending += batch.spans.length;
    result.timedOut = true;
  }

  private async send(batch: Batch, deadline: number, result: FlushResult): Promise<void> {
    const { maxRetries, retryBaseMs, exportTimeoutMs } = this.options;
    const n = batch.spans.length;
    for (let attempt = 0; ; attempt++) {
      const wait = this.blockedUntil - Date.now();
      if (wait > 0) {
        if (Date.now() + wait >= deadline) return this.carry(batch, result);
        await sleep(wait);
      }
      await buildBody(batch, this.envelope);
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.carry(batch, result);
      this.stats.exports++;
      const outcome = await post(batch, this.options, Math.min(exportTimeoutMs, remaining));
      if ("ok" in outcome) {
        const rejected = Math.min(n, outcome.rejected);
        this.stats.sent += n - rejected;
        this.stats.rejected += rejected;
        result.sent += n - rejected;
        if (rejected) this.report(new Error(`collector rejected ${rejected} spans: ${outcome.message ?? ""}`));
        return;
      }
      if ("drop" in outcome) {
        if (outcome.drop === "too_large" && n > 1) {
          // 413: never resend the same body; halve until it fits
          const half = Math.ceil(n / 2);
          await this.send({ spans: batch.spans.slice(0, half) }, deadline, result);
          return this.send({ spans: batch.spans.slice(half) }, deadline, result);
        }
        this.drop(outcome.drop, n, result);
        return this.report(new Error(`export dropped ${n} spans: ${outcome.reason}`));
      }
      if (attempt >= maxRetries) {
        this.drop("retry_exhausted", n, result);
        return this.report(new Error(`export failed after ${attempt + 1} attempts: ${outcome.reason}`));
      }
      this.stats.retries++;
      let delay = Math.random() * retryBaseMs * 2 ** attempt;
      if (outcome.after !== undefined) {
        delay = outcome.after;
        this.blockedUntil = Math.max(this.blockedUntil, Date.now() + delay);
      }
      if (Date.now() + delay >= deadline) return this.carry(batch, result);
      await sleep(delay);
    }
  }

  /** Exports everything queued so far; waits for background work first when asked. Never rejects. */
  async flush(waitForBackground: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, dropped: 0, pending: 0, timedOut: false };
    const deadline = Date.now() + this.options.flushTimeoutMs;
    try {
      if (waitForBackground && this.background.size) {
        // leave a fifth of the budget (≤ 5 s) for the export itself
        const reserve = Math.min(5000, this.options.flushTimeoutMs / 5);
        const works = [...this.background];
        const settled = await until(Promise.all(works.map((w) => w.promise.catch(() => {}))), deadline - reserve);
        if (!settled) {
          result.timedOut = true;
          for (const w of works) {
            if (!this.background.has(w)) continue;
            this.background.delete(w);
            try {
              w.onDeadline?.();
            } catch {}
          }
        }
      }
      const batches = this.carried.concat(this.batches(this.queue.splice(0)));
      this.carried = [];
      this.stats.pending = 0;
      this.stats.queued = this.queue.length;
      const others = [...this.inflight];
      const own = (async () => {
        for (const batch of batches) await this.send(batch, deadline, result);
      })();
      this.inflight.add(own);
      try {
        await own;
      } finally {
        this.inflight.delete(own);
      }
      // exports started earlier (other flushes) count as "started so far"; bounded by our deadline
      if (others.length && !(await until(Promise.all(others), deadline))) result.timedOut = true;
    } catch (error) {
      this.report(error);
    }
    result.pending = this.queue.length + this.stats.pending;
    return result;
  }
}
