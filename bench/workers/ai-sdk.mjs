// AI SDK overhead (issue 3): `node --expose-gc ai-sdk.mjs <case>` with the real `ai` v7 and MockLanguageModelV4
// (deterministic, no delays). Every case compares A (baseline) with B (traced), interleaved: each run is a number
// of rounds, each round times a block of A calls and a block of B calls (order alternating); per-call cost =
// block time / calls, added = B − A per run; we report the median over runs. Small blocks, many rounds: the two
// sides see the same machine state, which matters on a shared machine. The SDK queue is flushed between
// runs (outside the timed region), and every run checks that B produced exactly one span per call, none dropped.
//
// cases:
//   generate    generateText through traceModel(model, { session })  vs the bare model
//   middleware  generateText through wrapLanguageModel(our middleware) vs wrapLanguageModel(empty middleware)
//   stream      streamText (50 parts, textStream fully consumed) through traceModel vs the bare model
//   model       the same, one level down (doGenerate / doStream read to the end, no `ai` pipeline around it):
//               isolates our own cost from ai's ~0.5–5 ms per call; doStream at 10 and 250 parts gives the
//               fixed cost and the per-part cost (slope).
//   prompt      generateText via traceModel, then via session.wrapAISDK(ai) (issue 7), vs the bare model, with a
//               one-word prompt and with a realistic multi-message one (system prompt + 12-message history with a
//               tool call and its result): the added cost must not grow with the prompt (content is serialised at
//               export, not on the request path). 10 runs × 2 000 calls per side. wrapAISDK runs one
//               AsyncLocalStorage.run() per call, so it goes last (its promise hooks would tax the cases after it).
//   untaxed <plain|tracing>
//               untraced streamText (50 parts) and generateText, per call, in a process that never traces (plain:
//               the other half of its calls go to a second bare model) or one that traces (tracing: the other half
//               are traced through traceModel, flushed between runs, exports and all). run.mjs alternates the two
//               processes; the difference is what tracing taxes work it does not trace (issue 7).
//   retained <on|off>
//               heap bytes a traced generateText keeps alive until export (short and long prompt), with content
//               capture on / off: deterministic, so it shows what tracing leaves to the garbage collector.
//   alstax      untraced generateText / streamText with Node's AsyncLocalStorage promise hooks off vs on. On Node 22
//               the first AsyncLocalStorage.run() (ours runs one per traced call) turns on async_hooks promise hooks
//               for the whole process, and every promise of the app pays for them from then on; in the cases above
//               both sides run with the hooks on, so this tax is reported here, separately. (Next.js apps already
//               pay it; workerd / Deno / Bun implement AsyncLocalStorage without promise hooks.)
import { distHas, distUrl, emit, gc, setupFallom, summary } from "../lib/common.mjs";

const which = process.argv[2];
const QUICK = process.env.BENCH_QUICK === "1";
const scale = (n) => (QUICK ? Math.max(1, Math.ceil(n / 4)) : n);

let acc = 0;
const hr = () => process.hrtime.bigint();
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

// ---- the mock model -----------------------------------------------------------------------------------------

const USAGE = {
  inputTokens: { total: 24, noCache: 24, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 12, text: 12, reasoning: undefined },
};
const FINISH = { unified: "stop", raw: "stop" };
const SYSTEM = "You are a concise assistant.";
const PROMPT = "What is the capital of France? Answer in one sentence.";
const TEXT = "The capital of France is Paris.";

function generateResult() {
  return {
    content: [{ type: "text", text: TEXT }],
    finishReason: FINISH,
    usage: USAGE,
    warnings: [],
    response: { id: "resp-bench", modelId: "gpt-4o-mini-2024-07-18", timestamp: new Date(0) },
  };
}

/** `parts` stream parts in all: stream-start, response-metadata, text-start, (parts − 5) text deltas, text-end, finish */
function streamChunks(parts) {
  const chunks = [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", id: "resp-bench", modelId: "gpt-4o-mini-2024-07-18", timestamp: new Date(0) },
    { type: "text-start", id: "t0" },
  ];
  for (let i = 0; i < parts - 5; i++) chunks.push({ type: "text-delta", id: "t0", delta: i ? " tok" + i : "The" });
  chunks.push({ type: "text-end", id: "t0" }, { type: "finish", usage: USAGE, finishReason: FINISH });
  return chunks;
}

/** Fully imported modules */
const ai = await import("ai");
const { MockLanguageModelV4 } = await import("ai/test");

function mockModel(parts = 50) {
  const chunks = streamChunks(parts);
  return new MockLanguageModelV4({
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doGenerate: async () => generateResult(),
    doStream: async () => ({
      // null delays: chunks are handed out without any timer
      stream: ai.simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }),
    }),
  });
}

const CALL_PARAMS = {
  prompt: [
    { role: "system", content: SYSTEM },
    { role: "user", content: [{ type: "text", text: PROMPT }] },
  ],
  maxOutputTokens: 256,
  temperature: 0.2,
};

/** A realistic chat request: a ~600-char system prompt and a 12-message history with a tool call and its result */
const LONG_SYSTEM = "You are the support assistant of an online bookshop. Answer in the customer's language, cite order numbers, " +
  "never invent a delivery date, and call the order_status tool before saying anything about an order. ".repeat(3);
const TURN = "I ordered three books last week (a cookbook, a novel and a travel guide to Portugal) and only two arrived. ";
const HISTORY = [];
for (let i = 0; i < 3; i++) {
  HISTORY.push(
    { role: "user", content: [{ type: "text", text: TURN.repeat(2) + "Order #10" + i + "." }] },
    { role: "assistant", content: [{ type: "text", text: "Let me check that order." }, { type: "tool-call", toolCallId: "call_" + i, toolName: "order_status", input: { orderId: "10" + i, include: ["items", "shipments"] } }] },
    { role: "tool", content: [{ type: "tool-result", toolCallId: "call_" + i, toolName: "order_status", output: { type: "json", value: { orderId: "10" + i, items: [{ title: "Cookbook", shipped: true }, { title: "Novel", shipped: true }, { title: "Portugal", shipped: false, eta: "2026-12-09" }] } } }] },
    { role: "assistant", content: TURN + "The travel guide ships separately and should arrive on December 9." },
  );
}
const PROMPTS = { short: { prompt: "Hi" }, long: { system: LONG_SYSTEM, messages: HISTORY } };

// ---- calls --------------------------------------------------------------------------------------------------

const generate = (model) => async () => {
  const r = await ai.generateText({ model, system: SYSTEM, prompt: PROMPT, temperature: 0.2, maxOutputTokens: 256 });
  acc += r.text.length;
};
/** generateText with one of PROMPTS, through `generateText` (ai's, or a traced one) */
const generateWith = (model, prompt, generateText = ai.generateText) => async () => {
  const r = await generateText({ model, ...prompt, temperature: 0.2, maxOutputTokens: 256 });
  acc += r.text.length;
};
const stream = (model) => async () => {
  const r = ai.streamText({ model, system: SYSTEM, prompt: PROMPT, temperature: 0.2, maxOutputTokens: 256 });
  for await (const t of r.textStream) acc += t.length;
};
const doGenerate = (model) => async () => {
  const r = await model.doGenerate(CALL_PARAMS);
  acc += r.content.length;
};
/**
 * The same model behind a pull-based pass-through that observes nothing: what any extra stream layer costs in this
 * runtime (the floor under a stream tap), measured to put our per-part figure in context.
 */
function behindPassThrough(model) {
  return {
    doStream: async (params) => {
      const r = await model.doStream(params);
      const reader = r.stream.getReader();
      let controller;
      const onRead = (x) => (x.done ? controller.close() : controller.enqueue(x.value));
      const stream = new ReadableStream(
        { start: (c) => void (controller = c), pull: () => reader.read().then(onRead), cancel: (why) => reader.cancel(why) },
        { highWaterMark: 0 },
      );
      return { ...r, stream };
    },
  };
}

const doStream = (model) => async () => {
  const { stream } = await model.doStream(CALL_PARAMS);
  const reader = stream.getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    acc++;
  }
};

// ---- the interleaved comparison -----------------------------------------------------------------------------

/**
 * @param a baseline call, @param b traced call; runs × rounds × perRound calls per side.
 * Returns per-call µs for A and B and their difference (wall clock from hrtime; CPU time alongside).
 */
async function compare(name, a, b, { runs, warmup, rounds, perRound, between, spansPerCall = 1, enterB, leaveB }) {
  const rows = [];
  for (let r = 0; r < warmup + runs; r++) {
    await between();
    const queued0 = fallom.stats().queued;
    let ta = 0n, tb = 0n, ca = 0, cb = 0;
    for (let k = 0; k < rounds; k++) {
      const bFirst = (k + r) % 2 === 1;
      for (const side of bFirst ? [b, a] : [a, b]) {
        if (side === b) enterB?.();
        const c0 = cpu();
        const t0 = hr();
        for (let i = 0; i < perRound; i++) await side();
        const dt = hr() - t0;
        const dc = cpu() - c0;
        if (side === b) leaveB?.();
        if (side === a) (ta += dt), (ca += dc);
        else (tb += dt), (cb += dc);
      }
    }
    const n = rounds * perRound;
    const grew = fallom.stats().queued - queued0;
    if (grew !== n * spansPerCall) {
      throw new Error(`${name}: ${n} traced calls should have queued ${n * spansPerCall} spans, queued ${grew}`);
    }
    if (r >= warmup) {
      const aUs = Number(ta) / n / 1000;
      const bUs = Number(tb) / n / 1000;
      rows.push({ aUs, bUs, addedUs: bUs - aUs, cpuAddedUs: (cb - ca) / n });
    }
  }
  const pick = (k) => summary(rows.map((x) => x[k]));
  return { name, calls: rounds * perRound, runs, base: pick("aUs"), traced: pick("bUs"), added: pick("addedUs"), cpuAdded: pick("cpuAddedUs") };
}

// ---- setup --------------------------------------------------------------------------------------------------

if (!distHas("ai-sdk.js")) {
  emit({ skipped: "dist/ai-sdk.js not found — build first (npm run build)" });
  process.exit(0);
}
const integration = await import(distUrl("ai-sdk.js"));
if (typeof integration.traceModel !== "function" || typeof integration.fallomMiddleware !== "function") {
  emit({ skipped: "dist/ai-sdk.js does not export traceModel and fallomMiddleware yet (src/integrations/ai-sdk is unfinished)" });
  process.exit(0);
}
const { traceModel, fallomMiddleware } = integration;
// `retained off` runs with content capture off (what an app keeps when it records no prompts)
const { fallom, session, clear } = await setupFallom(which === "retained" && process.argv[3] === "off" ? { captureContent: false } : {});

const models = [];
const track = (m) => (models.push(m), m);
async function between() {
  await clear();
  const d = fallom.stats().dropped;
  if (d.queue_full) throw new Error("the SDK queue overflowed: " + d.queue_full + " spans dropped");
  // MockLanguageModelV4 records every call's options: forget them so memory stays flat
  for (const m of models) {
    m.doGenerateCalls.length = 0;
    m.doStreamCalls.length = 0;
  }
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

/** The traced path must not change what the app sees (checked once, untimed). */
async function sameOutput(plain, traced, streaming) {
  const run = async (model) => {
    if (streaming) {
      const r = ai.streamText({ model, system: SYSTEM, prompt: PROMPT });
      let text = "";
      for await (const t of r.textStream) text += t;
      return JSON.stringify({ text, usage: await r.usage, finish: await r.finishReason });
    }
    const r = await ai.generateText({ model, system: SYSTEM, prompt: PROMPT });
    return JSON.stringify({ text: r.text, usage: r.usage, finish: r.finishReason });
  };
  const [x, y] = [await run(plain), await run(traced)];
  await between();
  if (x !== y) throw new Error(`traced output differs from the untraced one:\n${x}\n${y}`);
  if (session.openSpans().length) throw new Error(`${session.openSpans().length} span(s) still open after a completed call`);
}

// ---- cases --------------------------------------------------------------------------------------------------

const out = { case: which };
if (which === "generate") {
  const base = track(mockModel());
  const traced = traceModel(base, { session });
  await sameOutput(base, traced, false);
  out.result = await compare("generateText via traceModel", generate(base), generate(traced), {
    runs: scale(7), warmup: 1, rounds: 100, perRound: scale(20), between,
  });
} else if (which === "middleware") {
  const base = track(mockModel());
  const empty = ai.wrapLanguageModel({ model: base, middleware: {} });
  const ours = ai.wrapLanguageModel({ model: base, middleware: fallomMiddleware({ session }) });
  await sameOutput(empty, ours, false);
  out.result = await compare("generateText via wrapLanguageModel", generate(empty), generate(ours), {
    runs: scale(7), warmup: 1, rounds: 100, perRound: scale(20), between,
  });
} else if (which === "stream") {
  const base = track(mockModel(50));
  const traced = traceModel(base, { session });
  await sameOutput(base, traced, true);
  out.parts = 50;
  out.result = await compare("streamText (50 parts) via traceModel", stream(base), stream(traced), {
    runs: scale(5), warmup: 1, rounds: 50, perRound: scale(4), between,
  });
} else if (which === "model") {
  const g = track(mockModel());
  out.doGenerate = await compare("doGenerate via traceModel", doGenerate(g), doGenerate(traceModel(g, { session })), {
    runs: scale(7), warmup: 1, rounds: 20, perRound: scale(200), between,
  });
  const short = track(mockModel(10));
  const long = track(mockModel(250));
  out.doStream10 = await compare("doStream (10 parts) via traceModel", doStream(short), doStream(traceModel(short, { session })), {
    runs: scale(7), warmup: 1, rounds: 20, perRound: scale(50), between,
  });
  out.doStream250 = await compare("doStream (250 parts) via traceModel", doStream(long), doStream(traceModel(long, { session })), {
    runs: scale(7), warmup: 1, rounds: 10, perRound: scale(8), between,
  });
  // per-part cost = slope between the two lengths (per run, then median); fixed cost = intercept
  const slopes = out.doStream250.added.runs.map((v, i) => ((v - out.doStream10.added.runs[i]) * 1000) / 240);
  const fixed = out.doStream10.added.runs.map((v, i) => v - (10 * slopes[i]) / 1000);
  out.perPartNs = summary(slopes);
  out.streamFixedUs = summary(fixed);
  // the floor: a no-op pull pass-through over the same streams, same rounds (its spans: none)
  const p10 = await compare("doStream (10 parts) via a no-op pass-through", doStream(short), doStream(behindPassThrough(short)), {
    runs: scale(7), warmup: 1, rounds: 20, perRound: scale(50), between, spansPerCall: 0,
  });
  const p250 = await compare("doStream (250 parts) via a no-op pass-through", doStream(long), doStream(behindPassThrough(long)), {
    runs: scale(7), warmup: 1, rounds: 10, perRound: scale(8), between, spansPerCall: 0,
  });
  const floorSlopes = p250.added.runs.map((v, i) => ((v - p10.added.runs[i]) * 1000) / 240);
  out.passThroughPerPartNs = summary(floorSlopes);
  out.passThroughFixedUs = summary(p10.added.runs.map((v, i) => v - (10 * floorSlopes[i]) / 1000));
} else if (which === "prompt") {
  const base = track(mockModel());
  const traced = traceModel(base, { session });
  const wrapped = session.wrapAISDK(ai);
  const opts = { runs: scale(10), warmup: 1, rounds: 100, perRound: scale(20), between };
  for (const [label, prompt] of Object.entries(PROMPTS)) {
    out["traceModel_" + label] = await compare(`generateText via traceModel, ${label} prompt`, generateWith(base, prompt), generateWith(traced, prompt), opts);
  }
  // last: wrapAISDK's AsyncLocalStorage.run() turns on Node 22's promise hooks for the rest of this process
  for (const [label, prompt] of Object.entries(PROMPTS)) {
    out["wrapAISDK_" + label] = await compare(`generateText via wrapAISDK, ${label} prompt`, generateWith(base, prompt), generateWith(base, prompt, wrapped.generateText), {
      ...opts,
      spansPerCall: 2,
    });
  }
  out.promptJsonChars = { short: JSON.stringify(PROMPTS.short).length, long: JSON.stringify(PROMPTS.long).length };
} else if (which === "untaxed") {
  // the untraced calls are side A in both processes; side B is what else the process does
  const tracing = process.argv[3] === "tracing";
  const bare = track(mockModel(50));
  const other = track(mockModel(50));
  const b = tracing ? traceModel(other, { session }) : other;
  const spansPerCall = tracing ? 1 : 0;
  out.mode = tracing ? "tracing" : "plain";
  out.stream = await compare(`untraced streamText (50 parts), ${out.mode} process`, stream(bare), stream(b), {
    runs: scale(5), warmup: 1, rounds: 50, perRound: scale(4), between, spansPerCall,
  });
  out.generate = await compare(`untraced generateText, ${out.mode} process`, generate(bare), generate(b), {
    runs: scale(7), warmup: 1, rounds: 100, perRound: scale(20), between, spansPerCall,
  });
} else if (which === "retained") {
  // heap bytes a traced call keeps alive until its span is exported (deterministic: gc'd heap before / after N
  // calls, minus what the same untraced calls leave behind); with capture off no prompt may be kept
  const N = scale(400);
  const base = track(mockModel());
  const traced = traceModel(base, { session });
  const heap = async () => {
    await between();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    return process.memoryUsage().heapUsed;
  };
  const perCall = async (call) => {
    const h0 = await heap();
    for (let i = 0; i < N; i++) await call();
    for (const m of models) m.doGenerateCalls.length = m.doStreamCalls.length = 0;
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    return (process.memoryUsage().heapUsed - h0) / N;
  };
  out.capture = process.argv[3] !== "off";
  for (const [label, prompt] of Object.entries(PROMPTS)) {
    for (let i = 0; i < 50; i++) await generateWith(traced, prompt)(), await generateWith(base, prompt)();
    const untraced = await perCall(generateWith(base, prompt));
    out[label] = Math.round((await perCall(generateWith(traced, prompt))) - untraced);
  }
} else if (which === "alstax") {
  // never trace here: the SDK's own AsyncLocalStorage must stay disabled; ours toggles the shared promise hook
  const { AsyncLocalStorage } = await import("node:async_hooks");
  const als = new AsyncLocalStorage();
  const hooks = { spansPerCall: 0, enterB: () => als.run(1, () => {}), leaveB: () => als.disable() };
  const base = track(mockModel(50));
  out.generate = await compare("generateText, promise hooks off vs on", generate(base), generate(base), {
    runs: scale(5), warmup: 1, rounds: 50, perRound: scale(20), between, ...hooks,
  });
  out.stream = await compare("streamText (50 parts), promise hooks off vs on", stream(base), stream(base), {
    runs: scale(5), warmup: 1, rounds: 25, perRound: scale(4), between, ...hooks,
  });
} else throw new Error("usage: ai-sdk.mjs generate|middleware|stream|model|prompt|untaxed plain|untaxed tracing|retained on|retained off|alstax");

out.acc = acc;
emit(out);
