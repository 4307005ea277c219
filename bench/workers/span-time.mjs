// ns per span (start + 8 attributes + end), one library per process: `node --expose-gc span-time.mjs fallom|otel`.
//
// Spans are timed in batches of BENCH_BATCH (500): each batch is created into the queue (checked: the queue grew
// by exactly the batch and nothing was dropped), then — untimed — exported/cleared and a minor GC collects the
// garbage, so the next batch starts with an empty nursery. That is the edge request's life: a few spans buffered,
// flushed in waitUntil, dead young. (With BENCH_BATCH=10000 the spans stay buffered long enough to be promoted,
// and the figure then mostly measures the garbage collector; see bench/README.md.)
// For @fallom/trace the untimed flush (OTLP JSON + gzip, no network) is timed separately as "export work".
import { emit, setLlmAttributes, setupFallom, setupOtel, summary } from "../lib/common.mjs";

const lib = process.argv[2];
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const N = Math.max(BATCH, Number(process.env.BENCH_SPANS ?? 20_000)); // spans per run
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

if (typeof globalThis.gc !== "function") {
  console.error("span-time.mjs needs --expose-gc");
  process.exit(2);
}
const minorGc = () => globalThis.gc({ type: "minor" });

let acc = 0; // keeps the results observable so no work can be optimised away

async function main() {
  let runLoop;
  let env;
  if (lib === "fallom") {
    env = await setupFallom();
    const session = env.session;
    runLoop = (from, n) => {
      const t0 = process.hrtime.bigint();
      for (let i = from, end = from + n; i < end; i++) {
        const span = session.startSpan("chat gpt-4o-mini", { type: "llm" });
        setLlmAttributes(span, i);
        if (span.end()) acc++;
      }
      return process.hrtime.bigint() - t0;
    };
  } else if (lib === "otel") {
    env = await setupOtel();
    const tracer = env.tracer;
    runLoop = (from, n) => {
      const t0 = process.hrtime.bigint();
      for (let i = from, end = from + n; i < end; i++) {
        const span = tracer.startSpan("chat gpt-4o-mini");
        setLlmAttributes(span, i);
        span.end();
        if (span.ended) acc++;
      }
      return process.hrtime.bigint() - t0;
    };
  } else throw new Error("usage: span-time.mjs fallom|otel");

  const perSpan = [];
  const flushPerSpan = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    let ns = 0n;
    let flushNs = 0n;
    let done = 0;
    while (done < N) {
      const n = Math.min(BATCH, N - done);
      minorGc();
      const droppedBefore = env.dropped();
      ns += runLoop(done, n);
      const queued = env.queued();
      if (queued !== n || env.dropped() !== droppedBefore) {
        throw new Error(`${lib}: ${n} spans timed but ${queued} are queued and ${env.dropped() - droppedBefore} were dropped — a drop path was measured`);
      }
      const f0 = process.hrtime.bigint();
      await env.clear();
      flushNs += process.hrtime.bigint() - f0;
      if (env.queued() !== 0) throw new Error(`${lib}: queue not empty after clear (${env.queued()})`);
      done += n;
    }
    if (r >= WARMUP) {
      perSpan.push(Number(ns) / N);
      flushPerSpan.push(Number(flushNs) / N);
    }
  }
  const extra = {};
  if (lib === "fallom") {
    const s = env.fallom.stats();
    extra.sent = s.sent;
    extra.exports = s.exports;
  }
  emit({ lib, n: N, batch: BATCH, nsPerSpan: summary(perSpan), flushNsPerSpan: summary(flushPerSpan), acc, ...extra });
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
