// Fault injection against a real local collector: the OTLP retry policy, 413 splitting, deadlines, counters.
import { afterEach, describe, expect, it, vi } from "vitest";
import fallom from "../../src/index";
import { retryAfterMs } from "../../src/export/transport";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await sdk?.close();
  sdk = undefined;
});

function emit(n: number, attrs: Record<string, unknown> = {}) {
  const session = fallom.session({ sessionId: "s" });
  for (let i = 0; i < n; i++) session.startSpan("op-" + i, { attributes: attrs }).end();
}

describe("retry policy (OTLP spec)", () => {
  it("F1: retries 502, 503, 504 with jittered backoff, then delivers everything", async () => {
    sdk = await setupSdk({ retryBaseMs: 100 });
    sdk.collector.enqueue({ status: 502 }, { status: 503 }, { status: 504 });
    emit(5);
    const result = await fallom.flush();
    expect(result).toMatchObject({ sent: 5, dropped: 0, pending: 0, timedOut: false });
    const reqs = sdk.collector.requests;
    expect(reqs.map((r) => r.behavior)).toEqual(["502", "503", "504", "200"]);
    // full jitter: the n-th wait is within [0, base * 2^n] (+ scheduling slack for a loaded 2-core CI machine)
    for (let i = 1; i < reqs.length; i++) expect(reqs[i]!.at - reqs[i - 1]!.at).toBeLessThanOrEqual(100 * 2 ** (i - 1) + 150);
    expect(sdk.collector.spans()).toHaveLength(5);
    expect(fallom.stats()).toMatchObject({ sent: 5, retries: 3, exports: 4 });
  });

  it.each([500, 501, 400, 401, 403, 404])("F2: never retries HTTP %i and counts the drop", async (status) => {
    const errors: unknown[] = [];
    sdk = await setupSdk({ onError: (e) => errors.push(e) });
    sdk.collector.enqueue({ status });
    emit(3);
    const result = await fallom.flush();
    expect(sdk.collector.requests).toHaveLength(1);
    expect(result).toMatchObject({ sent: 0, dropped: 3 });
    expect(fallom.stats().dropped.non_retryable).toBe(3);
    expect(fallom.stats().retries).toBe(0);
    expect(String(errors[0])).toContain(`HTTP ${status}`);
  });

  it("F3: honours Retry-After (seconds) isolate-wide", async () => {
    sdk = await setupSdk();
    sdk.collector.enqueue({ status: 429, headers: { "retry-after": "1" } });
    emit(2);
    const first = fallom.flush();
    await sdk.collector.waitForRequests(1);
    emit(1);
    const second = fallom.flush(); // a concurrent flush must hold back too
    const [a, b] = await Promise.all([first, second]);
    expect(a.sent + b.sent).toBe(3);
    const [r429, ...rest] = sdk.collector.requests;
    for (const r of rest) expect(r.at - r429!.at).toBeGreaterThanOrEqual(950);
  });

  it("F3: a Retry-After beyond the flush deadline returns on time with the batch pending, sent later byte-identical", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 400 });
    const date = new Date(Date.now() + 1500).toUTCString();
    sdk.collector.enqueue({ status: 503, headers: { "retry-after": date } });
    emit(4);
    const started = Date.now();
    const result = await fallom.flush();
    expect(Date.now() - started).toBeLessThan(450);
    expect(result).toMatchObject({ sent: 0, pending: 4, timedOut: true });
    expect(fallom.stats().pending).toBe(4);
    await new Promise((r) => setTimeout(r, 1500));
    const later = await fallom.flush();
    expect(later).toMatchObject({ sent: 4, pending: 0 });
    const [a, b] = sdk.collector.requests;
    expect(Buffer.from(b!.raw).equals(Buffer.from(a!.raw))).toBe(true);
  });

  it("parses Retry-After seconds and HTTP-dates", () => {
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it("F4: 413 splits the batch in halves (never resends the same body) down to what fits", async () => {
    sdk = await setupSdk({ maxBatchSize: 100 });
    const big = "x".repeat(3000);
    emit(8, { payload: big });
    // collector answers 413 above ~2 spans' worth
    sdk.collector.setDefault({ status: 200, body: "{}" });
    const bodies = new Set<string>();
    let tooLarge = 0;
    const limit = 9000; // two ~3.3 KB spans fit, four do not
    sdk.collector.route("POST", "/v1/traces", (req) => {
      const key = Buffer.from(req.raw).toString("base64");
      expect(bodies.has(key)).toBe(false);
      bodies.add(key);
      if (req.text.length > limit) {
        tooLarge++;
        return { status: 413 };
      }
      return { status: 200, body: "{}" };
    });
    const result = await fallom.flush();
    expect(result).toMatchObject({ sent: 8, dropped: 0 });
    expect(tooLarge).toBe(3); // 8 → 4+4 → 2+2+2+2
    expect(new Set(sdk.collector.requests.flatMap((r) => (r.status === 200 ? r.spans.map((s) => s.spanId) : [])))).toHaveProperty("size", 8);
  });

  it("F4: a single span still too large after splitting is dropped and counted", async () => {
    sdk = await setupSdk();
    sdk.collector.setDefault({ status: 413 });
    emit(1);
    const result = await fallom.flush();
    expect(result).toMatchObject({ sent: 0, dropped: 1 });
    expect(fallom.stats().dropped.too_large).toBe(1);
  });

  it("F5: partial success is not retried; rejected spans are counted and reported", async () => {
    const errors: unknown[] = [];
    sdk = await setupSdk({ onError: (e) => errors.push(e) });
    sdk.collector.enqueue({ status: 200, body: JSON.stringify({ partialSuccess: { rejectedSpans: "2", errorMessage: "bad attrs" } }) });
    emit(5);
    const result = await fallom.flush();
    expect(sdk.collector.requests).toHaveLength(1);
    expect(result.sent).toBe(3);
    expect(fallom.stats().rejected).toBe(2);
    expect(String(errors[0])).toContain("bad attrs");
  });

  it("F6: a hanging collector is cut off per attempt and flush returns by its deadline", async () => {
    sdk = await setupSdk({ exportTimeoutMs: 150, flushTimeoutMs: 700, retryBaseMs: 10 });
    sdk.collector.setDefault({ hang: true });
    emit(3);
    const started = Date.now();
    const result = await fallom.flush();
    expect(Date.now() - started).toBeLessThan(700 + 100);
    expect(result.sent).toBe(0);
    expect(result.pending + result.dropped).toBe(3);
    expect(sdk.collector.requests.length).toBeGreaterThanOrEqual(2);
  });

  it("F7: connection resets are retried as transient", async () => {
    sdk = await setupSdk();
    sdk.collector.enqueue({ reset: true }, { resetMidBody: true });
    emit(40, { blob: "y".repeat(2000) });
    const result = await fallom.flush();
    expect(result).toMatchObject({ sent: 40, dropped: 0 });
    expect(fallom.stats().retries).toBe(2);
  });

  it("retries stop after maxRetries and the spans are counted as retry_exhausted", async () => {
    sdk = await setupSdk({ maxRetries: 2 });
    sdk.collector.setDefault({ status: 503 });
    emit(2);
    const result = await fallom.flush();
    expect(sdk.collector.requests).toHaveLength(3);
    expect(result.dropped).toBe(2);
    expect(fallom.stats().dropped.retry_exhausted).toBe(2);
  });
});

describe("queue, batches and flush", () => {
  it("F8: a dead collector never grows the buffer past its bound; every span is accounted for", async () => {
    sdk = await setupSdk({ maxQueueSize: 100, exportTimeoutMs: 50, flushTimeoutMs: 300, maxRetries: 0 });
    sdk.collector.setDefault({ hang: true });
    emit(10_000);
    // at most 100 queued: the rest dropped, oldest first (the full-batch export runs after this task)
    expect(fallom.stats().queued).toBe(100);
    expect(fallom.stats().dropped.queue_full).toBe(9_900);
    await fallom.flush();
    const s = fallom.stats();
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(s.sent + dropped + s.pending + s.queued).toBe(10_000);
    sdk.collector.setDefault({ status: 200, body: "{}" });
    await fallom.flush();
    expect(sdk.collector.spans().map((x) => x.name)).not.toContain("op-150");
  });

  it("a full batch is exported after the current task, never inside span.end()", async () => {
    sdk = await setupSdk({ maxBatchSize: 10 });
    emit(10);
    expect(sdk.collector.requests).toHaveLength(0);
    expect(fallom.stats().queued).toBe(10); // nothing was encoded or sent synchronously
    await sdk.collector.waitForSpans(10, 2000);
  });

  it("F11/F12: on Workers a flush sends bounded batches concurrently (at most 6 requests at once, isolate-wide); all delivered after flush", async () => {
    // as on Workers: no background exports, only the invocation's own flush
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    let active = 0;
    let maxActive = 0;
    const fetchSpy: typeof fetch = async (...args) => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        return await fetch(...args);
      } finally {
        active--;
      }
    };
    sdk = await setupSdk({ maxBatchSize: 10, maxBatchBytes: 20_000, fetch: fetchSpy });
    sdk.collector.setDefault({ status: 200, body: "{}", delayMs: 20 });
    emit(25);
    emit(5, { text: "z".repeat(6000) });
    await fallom.flush();
    expect(fallom.stats().sent).toBe(30);
    expect(sdk.collector.spans()).toHaveLength(30);
    expect(maxActive).toBeGreaterThan(1);
    for (const r of sdk.collector.requests) {
      expect(r.spans.length).toBeLessThanOrEqual(10);
      expect(r.text.length).toBeLessThanOrEqual(20_000);
    }
    // 10 + 10 + (5 small + 2 large) + 3 large: batches fill up to the byte bound (sent concurrently: any order)
    expect(sdk.collector.requests.map((r) => r.spans.length).sort((a, b) => b - a)).toEqual([10, 10, 7, 3]);
    // many batches: never more than 6 requests in flight (Workers allow 6 connections per request)
    maxActive = 0;
    emit(200);
    await fallom.flush();
    expect(sdk.collector.spans()).toHaveLength(230);
    expect(maxActive).toBe(6);
  });

  it("F10: every response body is read", async () => {
    const responses: Response[] = [];
    const fetchSpy: typeof fetch = async (...args) => {
      const res = await fetch(...args);
      responses.push(res);
      return res;
    };
    sdk = await setupSdk({ fetch: fetchSpy });
    sdk.collector.enqueue({ status: 503, body: "busy" }, { status: 200, body: "{}" });
    emit(2);
    await fallom.flush();
    emit(1);
    sdk.collector.enqueue({ status: 400, body: "nope" });
    await fallom.flush();
    expect(responses).toHaveLength(3);
    for (const r of responses) expect(r.bodyUsed).toBe(true);
  });

  it("F13: a retried batch is byte-identical, gzip included, and dedups to zero duplicates", async () => {
    sdk = await setupSdk();
    sdk.collector.enqueue({ status: 503 });
    emit(20, { text: "q".repeat(200) });
    await fallom.flush();
    const [a, b] = sdk.collector.requests;
    expect(a!.gzip).toBe(true);
    expect(Buffer.from(a!.raw).equals(Buffer.from(b!.raw))).toBe(true);
    expect(sdk.collector.spans()).toHaveLength(20);
  });

  it("gzips bodies over 1 KiB and sends small ones plain, with auth and user headers", async () => {
    sdk = await setupSdk({ headers: { "x-team": "core" } });
    emit(1);
    await fallom.flush();
    emit(30);
    await fallom.flush();
    const [small, large] = sdk.collector.requests;
    expect(small!.gzip).toBe(false);
    expect(large!.gzip).toBe(true);
    expect(large!.headers.authorization).toBe("Bearer test-key");
    expect(large!.headers["content-type"]).toBe("application/json");
    expect(large!.headers["x-team"]).toBe("core");
    expect(large!.path).toBe("/v1/traces");
  });

  it("C4: concurrent flushes deliver every span exactly once", async () => {
    sdk = await setupSdk();
    sdk.collector.setDefault({ status: 200, body: "{}", delayMs: 5 });
    const flushes: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      emit(3);
      flushes.push(fallom.flush());
    }
    await Promise.all(flushes);
    expect(sdk.collector.allSpans()).toHaveLength(150);
    expect(sdk.collector.spans()).toHaveLength(150);
  });

  it("F15: a throttled collector gets no retry storm and receives everything", async () => {
    sdk = await setupSdk({ maxBatchSize: 5 });
    sdk.collector.setRateLimit(4);
    emit(40);
    await fallom.flush();
    expect(fallom.stats().sent).toBe(40);
    const throttled = sdk.collector.requests.filter((r) => r.status === 429).length;
    expect(throttled).toBeLessThanOrEqual(8); // Retry-After holds every later batch back
  });

  it("F9: flush never rejects, whatever fails (fetch, redact, onError)", async () => {
    let calls = 0;
    sdk = await setupSdk({
      fetch: (() => {
        calls++;
        if (calls % 2) throw new Error("sync boom");
        return Promise.reject(new TypeError("network"));
      }) as typeof fetch,
      redact: () => {
        throw new Error("redact boom");
      },
      onError: () => {
        throw new Error("onError boom");
      },
      maxRetries: 1,
    });
    for (let i = 0; i < 50; i++) {
      emit(2);
      await expect(fallom.flush()).resolves.toMatchObject({ sent: 0 });
    }
    expect(fallom.stats().dropped.retry_exhausted).toBe(100);
    expect(fallom.stats().redactErrors).toBeGreaterThan(0);
  });

  it("long-lived runtimes export on an unref'd timer without an explicit flush", async () => {
    sdk = await setupSdk({ flushIntervalMs: 50 });
    emit(3);
    await sdk.collector.waitForSpans(3, 2000);
  });

  it("a full batch is exported right away on long-lived runtimes", async () => {
    sdk = await setupSdk({ maxBatchSize: 10 });
    emit(10);
    await sdk.collector.waitForSpans(10, 2000);
  });

  it("flush() without init or when disabled resolves to zeros", async () => {
    const { _reset } = await import("../../src/core/sdk");
    _reset();
    const fetchSpy = vi.fn(fetch);
    await fallom.init({ fetch: fetchSpy });
    emit(3);
    await expect(fallom.flush()).resolves.toEqual({ sent: 0, dropped: 0, pending: 0, timedOut: false });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
