// `npm run demo`: traces a small agent run into a local OTLP sink on 127.0.0.1 and prints what arrived.
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { simulateReadableStream, stepCountIs, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { z } from "zod";
import fallom from "../dist/index.js";

const received = [];
const sink = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body = Buffer.concat(chunks);
    const gzip = req.headers["content-encoding"] === "gzip";
    if (gzip) body = gunzipSync(body);
    received.push({ path: req.url, gzip, bytes: body.length, json: JSON.parse(body.toString("utf8")) });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${sink.address().port}`;

await fallom.init({ apiKey: "demo-key", baseUrl, serviceName: "fallom-demo", environment: "local" });
const session = fallom.session({ configKey: "support-bot", sessionId: "conv-42", customerId: "user-7", tags: ["demo"] });

await session.trace("answer-question", async (agent) => {
  agent.setInput({ question: "How do I reset my password?" });
  const docs = await agent.span("search-docs", async (span) => {
    span.setInput({ query: "reset password" });
    await new Promise((r) => setTimeout(r, 15));
    span.setOutput(["doc-12", "doc-31"]);
    return ["doc-12", "doc-31"];
  }, { type: "retrieval" });
  await agent.span("chat gpt-4o-mini", async (llm) => {
    llm.setModel("gpt-4o-mini", "openai").setInput([{ role: "user", content: `Using ${docs.join(", ")}…` }]);
    await new Promise((r) => setTimeout(r, 25));
    llm.setTokens({ input: 412, output: 96, cacheRead: 256 }).setOutput("Open Settings → Security → Reset password.");
  }, { type: "llm" });
  await agent.span("send-email", async () => {
    throw new Error("SMTP unavailable");
  }, { type: "tool" }).catch(() => {});
  agent.evaluate({ name: "helpfulness", score: 0.9, label: "helpful" });
  agent.setOutput("Open Settings → Security → Reset password.");
}, { type: "agent" });
fallom.trace.span({ csat: 5, resolved: true }, { configKey: "support-bot", sessionId: "conv-42" });

// The Vercel AI SDK path: a streamed answer with a tool call, from a deterministic built-in mock model.
const usage = (input, output) => ({
  inputTokens: { total: input, noCache: input - 128, cacheRead: 128, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});
let step = 0;
const model = new MockLanguageModelV4({
  modelId: "gpt-4o-mini",
  doStream: async () => {
    const first = step++ === 0;
    const parts = first
      ? [{ type: "tool-call", toolCallId: "call-1", toolName: "lookupOrder", input: '{"orderId":"A-17"}' }]
      : ["Your order ", "A-17 ships ", "tomorrow."].flatMap((delta, i) => [
          ...(i === 0 ? [{ type: "text-start", id: "t" }] : []),
          { type: "text-delta", id: "t", delta },
        ]);
    return {
      stream: simulateReadableStream({
        initialDelayInMs: 30,
        chunkDelayInMs: 5,
        chunks: [
          { type: "stream-start", warnings: [] },
          { type: "response-metadata", id: "resp-" + step, modelId: "gpt-4o-mini-2024-07-18" },
          ...parts,
          ...(first ? [] : [{ type: "text-end", id: "t" }]),
          { type: "finish", finishReason: { unified: first ? "tool-calls" : "stop", raw: undefined }, usage: usage(first ? 310 : 420, first ? 18 : 12) },
        ],
      }),
    };
  },
});
const ai = session.wrapAISDK({ streamText });
const result = ai.streamText({
  model,
  prompt: "Where is my order A-17?",
  tools: { lookupOrder: tool({ inputSchema: z.object({ orderId: z.string() }), execute: async ({ orderId }) => ({ orderId, eta: "tomorrow" }) }) },
  stopWhen: stepCountIs(3),
});
let streamed = "";
for await (const text of result.textStream) streamed += text;
console.log(`streamText answered: "${streamed}"`);

const flushed = await fallom.flush();
sink.close();

const spans = received.flatMap((r) => r.json.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
const attr = (s, k) => {
  const v = s.attributes.find((a) => a.key === k)?.value;
  return v && (v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue);
};
const children = new Map();
for (const s of spans) children.set(s.parentSpanId ?? "", [...(children.get(s.parentSpanId ?? "") ?? []), s]);
const print = (s, depth) => {
  const ms = (Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6).toFixed(1);
  const extra = [
    attr(s, "gen_ai.usage.input_tokens") && `tokens in=${attr(s, "gen_ai.usage.input_tokens")} out=${attr(s, "gen_ai.usage.output_tokens")}`,
    attr(s, "gen_ai.response.time_to_first_chunk") !== undefined && `ttft=${(attr(s, "gen_ai.response.time_to_first_chunk") * 1000).toFixed(0)} ms`,
    attr(s, "fallom.cost.total_usd") !== undefined && `cost=$${Number(attr(s, "fallom.cost.total_usd")).toFixed(6)}`,
    attr(s, "gen_ai.tool.name") && `tool=${attr(s, "gen_ai.tool.name")}`,
    attr(s, "gen_ai.evaluation.score.value") !== undefined && `score=${attr(s, "gen_ai.evaluation.score.value")}`,
    attr(s, "fallom.metric.csat") && `csat=${attr(s, "fallom.metric.csat")}`,
    s.status?.code === 2 && `ERROR: ${s.status.message}`,
  ].filter(Boolean);
  console.log(`${"  ".repeat(depth)}• [${attr(s, "fallom.span.type")}] ${s.name} ${ms} ms ${extra.join("  ")}`);
  for (const c of children.get(s.spanId) ?? []) print(c, depth + 1);
};
console.log(`\nflush(): ${JSON.stringify(flushed)}`);
console.log(`sink received ${received.length} request(s): ${received.map((r) => `${r.path} ${r.bytes} B${r.gzip ? " (gzip)" : ""}`).join(", ")}`);
console.log(`session conv-42 / user-7, ${spans.length} spans:\n`);
for (const root of children.get("") ?? []) print(root, 1);
console.log(`\nstats(): ${JSON.stringify(fallom.stats())}`);
if (flushed.sent !== spans.length || spans.length !== 10) {
  console.error("demo: unexpected result");
  process.exit(1);
}
