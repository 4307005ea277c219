// fallomTelemetry: ai 7's telemetry-integration hook produces the same span tree as wrapAISDK.
import * as ai from "ai";
import type { Telemetry } from "ai";
import { MockEmbeddingModelV4, MockLanguageModelV4 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { fallomTelemetry } from "../../../src/integrations/ai-sdk/telemetry";
import { wrapAISDK } from "../../../src/integrations/ai-sdk/wrap-ai-sdk";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;
// compile-time check: the SDK-owned type is assignable to ai's Telemetry
const _typed: Telemetry = fallomTelemetry();

const usage = { inputTokens: { total: 10, noCache: 6, cacheRead: 4 }, outputTokens: { total: 5, text: 3, reasoning: 2 } };
const fr = (u: string) => ({ unified: u, raw: u });
const toolCall = { content: [{ type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' }], finishReason: fr("tool-calls"), usage, warnings: [] };
const text = (t: string) => ({ content: [{ type: "text", text: t }], finishReason: fr("stop"), usage, warnings: [], response: { id: "resp-" + t, modelId: "gpt-4o-mini" } });
const gen = (...results: any[]) => {
  let i = 0;
  return new MockLanguageModelV4({ provider: "openai.chat", modelId: "gpt-4o-mini", doGenerate: async () => structuredClone(results[Math.min(i++, results.length - 1)]) });
};
const textChunks = (t: string) => [
  { type: "stream-start", warnings: [] },
  { type: "text-start", id: "t" },
  { type: "text-delta", id: "t", delta: t },
  { type: "text-end", id: "t" },
  { type: "finish", finishReason: fr("stop"), usage },
];
const streamer = (chunks: () => any[], delay?: number) =>
  new MockLanguageModelV4({ provider: "openai.chat", modelId: "gpt-4o-mini", doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: chunks(), chunkDelayInMs: delay }) }) });
const tools = (execute: (i: any) => unknown = async ({ a, b }) => a + b) => ({ add: ai.tool({ inputSchema: z.object({ a: z.number(), b: z.number() }), execute: execute as any }) });
const loop = { prompt: "add", stopWhen: ai.stepCountIs(3) };

const type = (spans: DecodedSpan[], t: string) => spans.filter((s) => s.attributes["fallom.span.type"] === t);
function tree(spans: DecodedSpan[]) {
  const agents = type(spans, "agent");
  expect(agents).toHaveLength(1);
  const agent = agents[0]!;
  for (const s of spans) if (s !== agent) expect([s.traceId, s.parentSpanId]).toEqual([agent.traceId, agent.spanId]);
  return { agent, llm: type(spans, "llm"), tool: type(spans, "tool") };
}
// names, types and parent links only
const shape = (spans: DecodedSpan[]) => {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return spans
    .map((s) => `${s.attributes["fallom.span.type"]}:${s.attributes["gen_ai.operation.name"]}:${s.name} <- ${s.parentSpanId ? byId.get(s.parentSpanId)?.name : "root"}`)
    .sort();
};

let sdk: TestSdk;
afterEach(async () => {
  (globalThis as any).AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
  await sdk?.close();
});

describe("fallomTelemetry (ai 7 telemetry integrations)", () => {
  it("generateText tool loop: agent → 2 llm (usage, cost, response) + 1 tool; result unchanged", async () => {
    sdk = await setupSdk({ captureContent: true });
    const session = fallom.session({ sessionId: "tel" });
    const plain = await ai.generateText({ model: gen(toolCall, text("3")), tools: tools(), ...loop });
    const r = await ai.generateText({ model: gen(toolCall, text("3")), tools: tools(), ...loop, telemetry: { integrations: [fallomTelemetry({ session })] } });
    expect(r.text).toBe(plain.text);
    expect(JSON.stringify(r.steps.map((s) => s.content))).toBe(JSON.stringify(plain.steps.map((s) => s.content)));
    const { agent, llm, tool } = tree(await sdk.flushSpans());
    expect([llm.length, tool.length]).toEqual([2, 1]);
    expect(agent.name).toBe("invoke_agent generateText");
    expect(agent.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "session.id": "tel",
      "fallom.output": "3",
      "fallom.total_usage.input_tokens": 20,
      "fallom.total_usage.output_tokens": 10,
    });
    expect(Object.keys(agent.attributes).some((k) => k.startsWith("gen_ai.usage"))).toBe(false);
    const last = llm.find((s) => s.attributes["gen_ai.response.id"] === "resp-3")!;
    expect(last.name).toBe("chat gpt-4o-mini");
    expect(last.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.stream": false,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 5,
      "gen_ai.usage.cache_read.input_tokens": 4,
      "gen_ai.usage.reasoning.output_tokens": 2,
      "session.id": "tel",
    });
    expect(typeof last.attributes["fallom.cost.total_usd"]).toBe("number");
    const input = JSON.parse(last.attributes["gen_ai.input.messages"] as string);
    expect(input[0]).toEqual({ role: "user", parts: [{ type: "text", content: "add" }] });
    expect(input.some((m: any) => m.role === "tool")).toBe(true);
    expect(JSON.parse(last.attributes["gen_ai.output.messages"] as string)[0].parts).toEqual([{ type: "text", content: "3" }]);
    expect(tool[0]!.attributes).toMatchObject({ "gen_ai.tool.name": "add", "gen_ai.tool.call.id": "c1", "gen_ai.tool.call.result": 3, "gen_ai.operation.name": "execute_tool" });
    expect(JSON.parse(tool[0]!.attributes["gen_ai.tool.call.arguments"] as string)).toEqual({ a: 1, b: 2 });
  });

  it("produces the same span tree as wrapAISDK", async () => {
    sdk = await setupSdk();
    await wrapAISDK(ai).generateText({ model: gen(toolCall, text("3")), tools: tools(), ...loop });
    const viaWrap = shape(await sdk.flushSpans());
    sdk.collector.reset();
    await ai.generateText({ model: gen(toolCall, text("3")), tools: tools(), ...loop, telemetry: { integrations: fallomTelemetry() } });
    expect(shape(await sdk.flushSpans())).toEqual(viaWrap);
    expect(viaWrap).toHaveLength(4);
  });

  it("registered globally, concurrent calls keep separate trees (keyed by callId)", async () => {
    sdk = await setupSdk();
    ai.registerTelemetry(fallomTelemetry());
    const run = (id: string) =>
      ai.generateText({
        model: gen(toolCall, text(id)),
        tools: tools(async ({ a, b }) => {
          await new Promise((r) => setTimeout(r, 5));
          return a + b;
        }),
        ...loop,
      });
    await Promise.all(["a", "b", "c"].map(run));
    const spans = await sdk.flushSpans();
    const agents = type(spans, "agent");
    expect(agents).toHaveLength(3);
    for (const a of agents) {
      const { llm, tool, agent } = tree(spans.filter((s) => s.traceId === a.traceId));
      expect([llm.length, tool.length]).toEqual([2, 1]);
      // each tree's final llm span answered for its own call
      expect(llm.map((l) => l.attributes["gen_ai.response.id"])).toContain("resp-" + agent.attributes["fallom.output"]);
    }
  });

  it("streamText: ends once when read, llm span has TTFT and stream flag", async () => {
    sdk = await setupSdk({ captureContent: true });
    const r = ai.streamText({ model: streamer(() => textChunks("hello"), 5), prompt: "x", telemetry: { integrations: [fallomTelemetry()] } });
    let t = "";
    for await (const d of r.textStream) t += d;
    expect(t).toBe("hello");
    await new Promise((r) => setTimeout(r, 10));
    const spans = await sdk.flushSpans();
    const { agent, llm } = tree(spans);
    expect(agent.name).toBe("invoke_agent streamText");
    expect(agent.attributes["fallom.output"]).toBe("hello");
    expect(llm[0]!.attributes["gen_ai.request.stream"]).toBe(true);
    expect(llm[0]!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(sdk.collector.allSpans().filter((s) => s.attributes["fallom.span.type"] === "agent")).toHaveLength(1);
  });

  it("streamText never read: flush ends the agent at its deadline", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 500 });
    ai.streamText({ model: streamer(() => textChunks("unread")), prompt: "x", telemetry: { integrations: [fallomTelemetry()] } });
    // ai 7 reports onStart a microtask after streamText returns
    await new Promise((r) => setTimeout(r, 0));
    const spans = await sdk.flushSpans();
    const { agent, llm } = tree(spans);
    expect(agent.attributes["fallom.stream.unconsumed"]).toBe(true);
    expect(agent.status?.code).toBe(2);
    expect(llm).toHaveLength(1);
  });

  it("streamText abort ends the agent as aborted", async () => {
    sdk = await setupSdk();
    const ac = new AbortController();
    const r = ai.streamText({
      model: streamer(() => [...textChunks("a"), ...textChunks("b")], 20),
      prompt: "x",
      abortSignal: ac.signal,
      telemetry: { integrations: [fallomTelemetry()] },
    });
    setTimeout(() => ac.abort(), 30);
    await Promise.resolve(r.consumeStream()).catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    const agents = type(await sdk.flushSpans(), "agent");
    expect(agents).toHaveLength(1);
    expect(agents[0]!.attributes["fallom.stream.cancelled"]).toBe(true);
    expect(agents[0]!.status?.code).toBe(2);
  });

  it("tool errors and model errors", async () => {
    sdk = await setupSdk();
    const integrations = [fallomTelemetry()];
    await ai.generateText({
      model: gen(toolCall, text("x")),
      tools: tools(() => {
        throw new Error("tool broke");
      }),
      ...loop,
      telemetry: { integrations },
    });
    const { tool } = tree(await sdk.flushSpans());
    expect(tool[0]!.status).toMatchObject({ code: 2, message: "tool broke" });

    sdk.collector.reset();
    const err = new Error("provider down");
    const failing = new MockLanguageModelV4({
      doGenerate: async () => {
        throw err;
      },
    });
    await expect(ai.generateText({ model: failing, prompt: "x", maxRetries: 0, telemetry: { integrations } })).rejects.toBe(err);
    const { agent, llm } = tree(await sdk.flushSpans());
    expect(agent.status).toMatchObject({ code: 2, message: "provider down" });
    expect(llm).toHaveLength(1);
    expect(llm[0]!.status?.code).toBe(2);
  });

  it("a tool that calls generateText again nests the inner call under the tool span (executeTool)", async () => {
    sdk = await setupSdk();
    const integrations = [fallomTelemetry()];
    const inner = tools(async () => (await ai.generateText({ model: gen(text("inner")), prompt: "sub", telemetry: { integrations } })).text);
    await ai.generateText({ model: gen(toolCall, text("outer")), tools: inner, ...loop, telemetry: { integrations } });
    const spans = await sdk.flushSpans();
    const agents = type(spans, "agent");
    expect(agents).toHaveLength(2);
    const tool = type(spans, "tool")[0]!;
    const nested = agents.find((a) => a.parentSpanId === tool.spanId);
    expect(nested).toBeDefined();
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });

  it("generateObject and embed", async () => {
    sdk = await setupSdk({ captureContent: true });
    const integrations = [fallomTelemetry()];
    const o = await ai.generateObject({ model: gen(text('{"n":1}')), schema: z.object({ n: z.number() }), prompt: "x", telemetry: { integrations } });
    expect(o.object).toEqual({ n: 1 });
    let spans = await sdk.flushSpans();
    let t = tree(spans);
    expect(t.agent.name).toBe("invoke_agent generateObject");
    expect(JSON.parse(t.agent.attributes["fallom.output"] as string)).toEqual({ n: 1 });
    expect(t.llm).toHaveLength(1);
    expect(t.llm[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(10);

    sdk.collector.reset();
    const em = new MockEmbeddingModelV4({ provider: "openai.embedding", modelId: "text-embedding-3-small", doEmbed: async () => ({ embeddings: [[1, 2]], usage: { tokens: 2 }, warnings: [] }) } as any);
    await ai.embed({ model: em, value: "x", telemetry: { integrations } });
    spans = await sdk.flushSpans();
    t = tree(spans);
    expect(t.agent.name).toBe("invoke_agent embed");
    expect(t.llm[0]!.attributes).toMatchObject({ "gen_ai.operation.name": "embeddings", "gen_ai.usage.input_tokens": 2 });
  });

  it("ai 6 integrations (no callId) are ignored safely", async () => {
    sdk = await setupSdk();
    const ai6 = await import("ai6");
    const { MockLanguageModelV3 } = await import("ai6/test");
    const model = new MockLanguageModelV3({ doGenerate: async () => ({ content: [{ type: "text", text: "ok" }], finishReason: fr("stop"), usage, warnings: [] }) as any });
    const r = await ai6.generateText({ model, prompt: "x", experimental_telemetry: { integrations: [fallomTelemetry() as any] } } as any);
    expect(r.text).toBe("ok");
    expect(await sdk.flushSpans()).toEqual([]);
  });
});
