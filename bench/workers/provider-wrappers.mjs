// Provider client wrappers (issue 10): `node --expose-gc provider-wrappers.mjs <lib> <case>` measures the CPU µs a
// wrapper adds per call, with the real `openai` and `@anthropic-ai/sdk` clients talking to the same local server
// (canned OpenAI / Anthropic wire-format bodies, JSON and SSE). By default the server's handler answers through the
// clients' `fetch` option, in this process: no sockets, so the 2-core machine's scheduling noise (a localhost round
// trip costs 1–10 ms here) does not drown a difference of a few µs; BENCH_HTTP=1 sends the same requests over
// 127.0.0.1 instead. A = the bare client, B = the wrapped one, in interleaved blocks (order alternating), added =
// B − A per run, median over runs; one process per library, so a library's own process-wide costs (AsyncLocalStorage
// promise hooks) stay in its own numbers.
//
// libs:  fallom      session.wrapOpenAI / session.wrapAnthropic (@fallom/trace, dist/)
//        braintrust  wrapOpenAI / wrapAnthropic with initLogger and Braintrust's in-memory test background logger
//        langfuse    observeOpenAI (@langfuse/openai) on an OpenTelemetry BasicTracerProvider + BatchSpanProcessor
//                    with a no-op exporter (a lower bound: no LangfuseSpanProcessor, no network)
// cases: openai-plain, openai-stream (20 content chunks + usage, read to the end), anthropic-plain, anthropic-stream
import { createServer } from "node:http";
import { emit, gc, median, setupFallom, setupOtel, summary } from "../lib/common.mjs";

const [lib, which] = process.argv.slice(2);
const QUICK = process.env.BENCH_QUICK === "1";
const CHUNKS = 20;
const TEXT = Array.from({ length: CHUNKS }, (_, i) => (i ? " tok" + i : "Paris"));

// ---- the local server: canned bodies, made once ---------------------------------------------------------------

const usage = { prompt_tokens: 24, completion_tokens: 20, total_tokens: 44, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
const base = { id: "chatcmpl-bench", created: 1_700_000_000, model: "gpt-4o-mini-2024-07-18" };
const CHAT_JSON = JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: TEXT.join("") }, finish_reason: "stop" }], usage });
const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const CHAT_SSE =
  chunk({ role: "assistant", content: "" }) +
  TEXT.map((t) => chunk({ content: t })).join("") +
  chunk({}, "stop") +
  `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\ndata: [DONE]\n\n`;
const aUsage = { input_tokens: 24, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 20 };
const MSG = { id: "msg_bench", type: "message", role: "assistant", model: "claude-sonnet-4-20250514", stop_reason: null, stop_sequence: null };
const MSG_JSON = JSON.stringify({ ...MSG, content: [{ type: "text", text: TEXT.join("") }], stop_reason: "end_turn", usage: aUsage });
const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const MSG_SSE =
  ev("message_start", { message: { ...MSG, content: [], usage: { ...aUsage, output_tokens: 1 } } }) +
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
  TEXT.map((text) => ev("content_block_delta", { index: 0, delta: { type: "text_delta", text } })).join("") +
  ev("content_block_stop", { index: 0 }) +
  ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 20 } }) +
  ev("message_stop", {});

/** the server's answer to one request: [content type, body] */
function answer(path, body) {
  const stream = body.includes('"stream":true');
  const type = stream ? "text/event-stream" : "application/json";
  return [type, path.endsWith("/messages") ? (stream ? MSG_SSE : MSG_JSON) : stream ? CHAT_SSE : CHAT_JSON];
}

const HTTP = process.env.BENCH_HTTP === "1";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    const [type, text] = answer(req.url, body);
    res.writeHead(200, { "content-type": type });
    res.end(text);
  });
});
if (HTTP) await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = HTTP ? `http://127.0.0.1:${server.address().port}` : "http://bench.local";
// the same handler without a socket
const fetch = HTTP
  ? undefined
  : async (input, init) => {
      const [type, text] = answer(new URL(String(input)).pathname, String(init?.body ?? ""));
      return new Response(text, { status: 200, headers: { "content-type": type } });
    };

// ---- clients and wrappers ------------------------------------------------------------------------------------

const { default: OpenAI } = await import("openai");
const { default: Anthropic } = await import("@anthropic-ai/sdk");
const openai = new OpenAI({ baseURL: url + "/v1", apiKey: "x", maxRetries: 0, fetch });
const anthropic = new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0, fetch });

let wrapped;
let clear;
let spans;
if (lib === "fallom") {
  const f = await setupFallom();
  wrapped = { openai: f.session.wrapOpenAI(openai), anthropic: f.session.wrapAnthropic(anthropic) };
  clear = f.clear;
  spans = () => f.fallom.stats().sent + f.queued();
} else if (lib === "braintrust") {
  const bt = await import("braintrust");
  const t = bt._exportsForTestingOnly;
  t.setInitialTestState();
  await t.simulateLoginForTests();
  const bg = t.useTestBackgroundLogger();
  bt.initLogger({ projectName: "bench", projectId: "bench-project" });
  wrapped = { openai: bt.wrapOpenAI(openai), anthropic: bt.wrapAnthropic(anthropic) };
  let n = 0;
  clear = async () => (n += (await bg.drain()).length);
  spans = () => n;
} else if (lib === "langfuse") {
  const o = await setupOtel();
  const { setLangfuseTracerProvider } = await import("@langfuse/tracing");
  setLangfuseTracerProvider(o.provider);
  const { observeOpenAI } = await import("@langfuse/openai");
  wrapped = { openai: observeOpenAI(openai) };
  clear = o.clear;
  spans = () => o.exported() + o.queued();
} else throw new Error("lib: fallom | braintrust | langfuse");

const [provider, mode] = which.split("-");
if (!wrapped[provider]) {
  emit({ skipped: `${lib} has no ${provider} wrapper` });
  process.exit(0);
}

const ask = { model: "gpt-4o-mini", messages: [{ role: "user", content: "What is the capital of France?" }] };
const claude = { model: "claude-sonnet-4-20250514", max_tokens: 256, messages: ask.messages };
/** one call, its result read the way an app reads it */
const call =
  provider === "openai"
    ? mode === "plain"
      ? async (c) => (await c.chat.completions.create(ask)).choices[0].message.content.length
      : async (c) => {
          let n = 0;
          for await (const x of await c.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } })) n += x.choices[0]?.delta?.content?.length ?? 0;
          return n;
        }
    : mode === "plain"
      ? async (c) => (await c.messages.create(claude)).content[0].text.length
      : async (c) => {
          let n = 0;
          for await (const e of await c.messages.create({ ...claude, stream: true })) n += e.delta?.text?.length ?? 0;
          return n;
        };

const bare = provider === "openai" ? openai : anthropic;
const traced = wrapped[provider];
if ((await call(bare)) !== (await call(traced))) throw new Error("the wrapped client returned something else");

// ---- interleaved A/B ------------------------------------------------------------------------------------------

const RUNS = QUICK ? 3 : 7;
const ROUNDS = QUICK ? 20 : 60;
const PER_BLOCK = 10;
// CPU time of this process (µs): other processes on the machine do not count
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
async function block(client) {
  const t0 = HTTP ? Number(process.hrtime.bigint() / 1000n) : cpu();
  for (let i = 0; i < PER_BLOCK; i++) await call(client);
  return ((HTTP ? Number(process.hrtime.bigint() / 1000n) : cpu()) - t0) / PER_BLOCK;
}
for (let i = 0; i < 3 * PER_BLOCK; i++) await call(bare), await call(traced); // warm-up
await clear();
const base_ = [];
const added = [];
// per run: the median of the rounds' paired differences (a GC pause or a preemption spoils one round, not the run)
for (let run = 0; run < RUNS; run++) {
  gc();
  const as = [];
  const diffs = [];
  for (let round = 0; round < ROUNDS; round++) {
    let a;
    let b;
    if (round & 1) (b = await block(traced)), (a = await block(bare));
    else (a = await block(bare)), (b = await block(traced));
    as.push(a);
    diffs.push(b - a);
  }
  base_.push(median(as));
  added.push(median(diffs));
  await clear();
}
const recorded = spans();
server.close();
emit({ lib, case: which, transport: HTTP ? "http" : "fetch", base: summary(base_), added: summary(added), spansRecorded: recorded });
process.exit(0);
