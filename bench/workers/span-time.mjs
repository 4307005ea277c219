// ns per span (start + 8 attributes + end), one library per process: `node --expose-gc span-time.mjs fallom|otel`.
// Every timed span is buffered (checked: queue length grows by N and nothing is dropped); the queue is emptied
// between runs outside the timed region, and for @fallom/trace that flush (encode + gzip, no network) is timed
// separately as "export cost", which runs in waitUntil / the background, not on the request path.
import { emit, gc, setLlmAttributes, setupFallom, setupOtel, summary } from "../lib/common.mjs";

const lib = process.argv[2];
const N = Number(process.env.BENCH_SPANS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

let acc = 0; // keeps the results observable so no work can be optimised away

async function main() {
  let runLoop;
  let env;
  if (lib === "fallom") {
    env = await setupFallom();
    const session = env.session;
    runLoop = (n) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const span = session.startSpan("chat gpt-4o-mini", { type: "llm" });
        setLlmAttributes(span, i);
        if (span.end()) acc++;
      }
      return Number(process.hrtime.bigint() - t0);
    };
  } else if (lib === "otel") {
    env = await setupOtel();
    const tracer = env.tracer;
    runLoop = (n) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const span = tracer.startSpan("chat gpt-4o-mini");
        setLlmAttributes(span, i);
        span.end();
        if (span.ended) acc++;
      }
      return Number(process.hrtime.bigint() - t0);
    };
  } else throw new Error("usage: span-time.mjs fallom|otel");

  const perSpan = [];
  const flushPerSpan = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    gc();
    const before = env.queued();
    const droppedBefore = env.dropped();
    const ns = runLoop(N);
    const grew = env.queued() - before;
    if (grew !== N || env.dropped() !== droppedBefore) {
      throw new Error(`${lib}: ${N} spans timed but the queue grew by ${grew} and ${env.dropped() - droppedBefore} were dropped — a drop path was measured`);
    }
    const f0 = process.hrtime.bigint();
    await env.clear();
    const flushNs = Number(process.hrtime.bigint() - f0);
    if (env.queued() !== 0) throw new Error(`${lib}: queue not empty after clear (${env.queued()})`);
    if (r >= WARMUP) {
      perSpan.push(ns / N);
      flushPerSpan.push(flushNs / N);
    }
  }
  const extra = {};
  if (lib === "fallom") {
    const s = env.fallom.stats();
    extra.sent = s.sent;
    extra.exports = s.exports;
  }
  emit({ lib, n: N, nsPerSpan: summary(perSpan), flushNsPerSpan: summary(flushPerSpan), acc, ...extra });
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
