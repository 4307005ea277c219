// Shared pieces of the benchmark workers: the span workload, the SDK/OTel setups and small stats helpers.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH_DIR);

/**
 * The built package the workers load. run.mjs snapshots dist/ into bench/results/dist-snapshot so a concurrent
 * `npm run build` (tsup cleans dist/) cannot pull files from under a running benchmark; FALLOM_BENCH_DIST overrides.
 */
export const DIST = process.env.FALLOM_BENCH_DIST || path.join(ROOT, "dist");
export const distUrl = (file) => pathToFileURL(path.join(DIST, file)).href;
export const distHas = (file) => existsSync(path.join(DIST, file));

// ---- the span workload: start + 8 attributes of an LLM call + end ---------------------------------------------

/** 1024 distinct response ids, made up front so the timed loop allocates no strings of its own */
export const RESPONSE_IDS = Array.from({ length: 1024 }, (_, i) => "chatcmpl-" + (1e9 + i * 7919).toString(36) + i);

/** The same 8 setAttribute calls on both sides: 4 strings, 3 numbers (one double), 1 boolean. */
export function setLlmAttributes(span, i) {
  span.setAttribute("gen_ai.operation.name", "chat");
  span.setAttribute("gen_ai.provider.name", "openai");
  span.setAttribute("gen_ai.request.model", "gpt-4o-mini");
  span.setAttribute("gen_ai.response.id", RESPONSE_IDS[i & 1023]);
  span.setAttribute("gen_ai.request.temperature", 0.7);
  span.setAttribute("gen_ai.usage.input_tokens", 100 + (i & 1023));
  span.setAttribute("gen_ai.usage.output_tokens", 20 + (i & 511));
  span.setAttribute("gen_ai.request.stream", false);
}

/** A fetch that accepts every export at once: flush() then costs only encoding (no network). */
export const okFetch = async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } });

export const HUGE_QUEUE = 1_000_000;

/**
 * @fallom/trace set up so spans stay buffered: a queue that never fills, no timer, and no auto-export
 * (on long-lived runtimes a full maxBatchSize batch is exported from span.end(); we raise it to the queue size).
 */
export async function setupFallom(extra = {}) {
  const mod = await import(distUrl("index.js"));
  const fallom = mod.default;
  await fallom.init({
    apiKey: "bench-key",
    baseUrl: "http://127.0.0.1:9",
    flushIntervalMs: 0,
    maxQueueSize: HUGE_QUEUE,
    maxBatchSize: HUGE_QUEUE,
    fetch: okFetch,
    ...extra,
  });
  const session = fallom.session({ sessionId: "bench-session", customerId: "bench-user" });
  const queued = () => fallom.stats().queued;
  const dropped = () => {
    const d = fallom.stats().dropped;
    return d.queue_full + d.sampled_out;
  };
  return { mod, fallom, session, clear: () => fallom.flush(), queued, dropped };
}

/** OpenTelemetry JS: BasicTracerProvider + BatchSpanProcessor over a no-op exporter; a queue that never fills, no timer export. */
export async function setupOtel() {
  const api = await import("@opentelemetry/api");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  let exported = 0;
  const exporter = {
    export(spans, done) {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  const bsp = new BatchSpanProcessor(exporter, {
    maxQueueSize: HUGE_QUEUE,
    maxExportBatchSize: HUGE_QUEUE,
    scheduledDelayMillis: 2 ** 31 - 1, // setTimeout's maximum; a larger value would fire after 1 ms
    exportTimeoutMillis: 30_000,
  });
  const provider = new BasicTracerProvider({ spanProcessors: [bsp] });
  api.trace.setGlobalTracerProvider(provider);
  const tracer = api.trace.getTracer("bench", "1.0.0");
  return {
    api,
    provider,
    bsp,
    tracer,
    clear: () => provider.forceFlush(),
    queued: () => bsp._finishedSpans.length,
    dropped: () => bsp._droppedSpansCount,
    exported: () => exported,
  };
}

// ---- stats --------------------------------------------------------------------------------------------------

export function median(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summary(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x));
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), runs: v };
}

export const gc = () => {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
};

/** Workers print exactly one JSON line prefixed with this marker; anything else on stdout is ignored. */
export const RESULT_MARK = "@@bench-result ";
export function emit(result) {
  process.stdout.write(RESULT_MARK + JSON.stringify(result) + "\n");
}
