// Heap bytes per buffered span: `node --expose-gc span-heap.mjs fallom|otel`.
// gc → heapUsed → create N ended spans that stay in the SDK's queue (not exported) → gc → heapUsed; (after-before)/N.
// The code paths are warmed first (and the queue emptied) so compiled code and hidden classes are not counted.
import { emit, gc, setLlmAttributes, setupFallom, setupOtel, summary } from "../lib/common.mjs";

const lib = process.argv[2];
const N = Number(process.env.BENCH_HEAP_SPANS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (typeof globalThis.gc !== "function") {
  console.error("span-heap.mjs needs --expose-gc");
  process.exit(2);
}

async function main() {
  let make;
  let env;
  if (lib === "fallom") {
    env = await setupFallom();
    const session = env.session;
    make = (i) => {
      const span = session.startSpan("chat gpt-4o-mini", { type: "llm" });
      setLlmAttributes(span, i);
      span.end();
    };
  } else if (lib === "otel") {
    env = await setupOtel();
    const tracer = env.tracer;
    make = (i) => {
      const span = tracer.startSpan("chat gpt-4o-mini");
      setLlmAttributes(span, i);
      span.end();
    };
  } else throw new Error("usage: span-heap.mjs fallom|otel");

  // warm-up: compile, create hidden classes, grow nothing that stays
  for (let i = 0; i < 20_000; i++) make(i);
  await env.clear();

  const perSpan = [];
  for (let r = 0; r < RUNS; r++) {
    await env.clear();
    // let the export's promise chain and timers unwind so nothing from the previous run is still reachable
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) make(i);
    gc();
    const after = process.memoryUsage().heapUsed;
    const queued = env.queued();
    if (queued !== N || env.dropped()) throw new Error(`${lib}: expected ${N} buffered spans, found ${queued} (dropped ${env.dropped()})`);
    perSpan.push((after - before) / N);
  }
  await env.clear();
  emit({ lib, n: N, bytesPerSpan: summary(perSpan) });
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
