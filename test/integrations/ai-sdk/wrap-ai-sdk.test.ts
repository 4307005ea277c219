// wrapAISDK against the real ai 7 with its mock models: span tree, identical behaviour, stream endings.
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { _reset } from "../../../src/core/sdk";
import { wrapAISDK } from "../../../src/integrations/ai-sdk/wrap-ai-sdk";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 5, text: 5 } };
const fr = (u: string) => ({ unified: u, raw: u });
const toolCallResult = {
  content: [{ type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' }],
  finishReason: fr("tool-calls"),
  usage,
  warnings: [],
};
const textResult = (text: string) => ({ content: [{ type: "text", text }], finishReason: fr("stop"), usage, warnings: [] });

const textChunks = (text: string) => [
  { type: "stream-start", warnings: [] },
  { type: "response-metadata", id: "resp-1", modelId: "mock-model", timestamp: new Date(0) },
  { type: "text-start", id: "t1" },
  ...text.split(" ").map((w, i) => ({ type: "text-delta", id: "t1", delta: (i ? " " : "") + w })),
  { type: "text-end", id: "t1" },
  { type: "finish", finishReason: fr("stop"), usage },
];
const toolChunks = [
  { type: "stream-start", warnings: [] },
  { type: "tool-input-start", id: "c1", toolName: "add" },
  { type: "tool-input-delta", id: "c1", delta: '{"a":1,"b":2}' },
  { type: "tool-input-end", id: "c1" },
  { type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' },
  { type: "finish", finishReason: fr("tool-calls"), usage },
];

const genModel = (...results: any[]) => {
  let i = 0;
  return new MockLanguageModelV4({
    provider: "mock.chat",
    modelId: "mock-model",
    doGenerate: async () => structuredClone(results[Math.min(i++, results.length - 1)]),
  });
};
const streamModel = (...steps: any[][]) => {
  let i = 0;
  return new MockLanguageModelV4({
    provider: "mock.chat",
    modelId: "mock-model",
    doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: steps[Math.min(i++, steps.length - 1)]! }) }),
  });
};
const makeTools = (execute: (input: { a: number; b: number }) => unknown = async ({ a, b }) => a + b) => ({
  add: ai.tool({ description: "adds", inputSchema: z.object({ a: z.number(), b: z.number() }), execute: execute as any }),
});

// drops what differs between two identical runs: generated ids, timestamps, timings
const VOLATILE = /^(callId|timestamp|performance|responseId)$|Ms$|PerSecond$/;
const stable = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (k, x) =>
      VOLATILE.test(k) ? undefined : typeof x === "string" && /^(aitxt|aiobj|call|msg)-\w{8,}$/.test(x) ? "<id>" : x,
    ),
  );
const stepView = (steps: any[]) => steps.map((s) => ({ content: s.content, text: s.text, toolCalls: s.toolCalls, toolResults: s.toolResults, finishReason: s.finishReason, usage: s.usage }));
const textView = (r: any) =>
  stable({ text: r.text, content: r.content, toolCalls: r.toolCalls, toolResults: r.toolResults, finishReason: r.finishReason, usage: r.usage, totalUsage: r.totalUsage, steps: stepView(r.steps), response: { ...r.response, messages: r.response.messages } });

const byType = (spans: DecodedSpan[], type: string) => spans.filter((s) => s.attributes["fallom.span.type"] === type);
function tree(spans: DecodedSpan[]) {
  const agents = byType(spans, "agent");
  expect(agents).toHaveLength(1);
  const agent = agents[0]!;
  const llm = byType(spans, "llm");
  const tool = byType(spans, "tool");
  for (const s of [...llm, ...tool]) {
    expect(s.traceId).toBe(agent.traceId);
    expect(s.parentSpanId).toBe(agent.spanId);
  }
  return { agent, llm, tool };
}

let sdk: TestSdk;
afterEach(async () => {
  await sdk?.close();
});

describe("wrapAISDK (ai 7)", () => {
  beforeAll(() => {
    _reset();
  });

  it("returns only the functions ai has, and is a no-op passthrough when tracing is disabled", async () => {
    _reset();
    const w = wrapAISDK(ai);
    expect(Object.keys(w).sort()).toEqual(["embed", "embedMany", "generateObject", "generateText", "streamObject", "streamText"]);
    expect(Object.keys(wrapAISDK({ generateText: ai.generateText, other: 1 }))).toEqual(["generateText"]);
    // not initialised: exactly the original behaviour
    const r = await w.generateText({ model: genModel(textResult("hi")), prompt: "x" });
    expect(r.text).toBe("hi");
  });

  it("wrapping twice wraps the original: one agent span, the newest session", async () => {
    sdk = await setupSdk();
    const once = wrapAISDK(ai, { session: fallom.session({ sessionId: "first" }) });
    const twice = wrapAISDK(once, { session: fallom.session({ sessionId: "second" }) });
    await twice.generateText({ model: genModel(textResult("x")), prompt: "x" });
    const spans = await sdk.flushSpans();
    const { agent } = tree(spans);
    expect(spans).toHaveLength(2);
    expect(agent.attributes["session.id"]).toBe("second");
  });

  it("generateText, one step: agent parent + llm child, input/output, totals not as gen_ai.usage", async () => {
    sdk = await setupSdk({ captureContent: true });
    const session = fallom.session({ sessionId: "s-1", customerId: "u-1" });
    const w = wrapAISDK(ai, { session });
    const r = await w.generateText({ model: genModel(textResult("Hello there")), system: "be brief", prompt: "hi" });
    expect(r.text).toBe("Hello there");
    const spans = await sdk.flushSpans();
    expect(spans).toHaveLength(2);
    const { agent, llm } = tree(spans);
    expect(llm).toHaveLength(1);
    expect(agent.name).toBe("invoke_agent generateText");
    expect(agent.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.request.model": "mock-model",
      "session.id": "s-1",
      "user.id": "u-1",
      "fallom.output": "Hello there",
      "fallom.total_usage.input_tokens": 3,
      "fallom.total_usage.output_tokens": 5,
    });
    expect(JSON.parse(agent.attributes["fallom.input"] as string)).toEqual({ system: "be brief", prompt: "hi" });
    expect(Object.keys(agent.attributes).filter((k) => k.startsWith("gen_ai.usage"))).toEqual([]);
    expect(llm[0]!.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 3, "gen_ai.usage.output_tokens": 5, "session.id": "s-1" });
    expect(agent.status?.code ?? 0).not.toBe(2);
  });

  it("multi-step tool loop: 1 agent, 2 llm, 1 tool, explicit parents", async () => {
    sdk = await setupSdk({ captureContent: true });
    const w = wrapAISDK(ai);
    const r = await w.generateText({
      model: genModel(toolCallResult, textResult("3")),
      tools: makeTools(),
      prompt: "add 1 and 2",
      stopWhen: ai.stepCountIs(3),
    });
    expect(r.text).toBe("3");
    expect(r.steps).toHaveLength(2);
    const spans = await sdk.flushSpans();
    const { agent, llm, tool } = tree(spans);
    expect(spans).toHaveLength(4);
    expect(llm).toHaveLength(2);
    expect(tool).toHaveLength(1);
    expect(tool[0]!.name).toBe("execute_tool add");
    expect(tool[0]!.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "add",
      "gen_ai.tool.call.id": "c1",
      "gen_ai.tool.call.result": 3,
    });
    expect(JSON.parse(tool[0]!.attributes["gen_ai.tool.call.arguments"] as string)).toEqual({ a: 1, b: 2 });
    // the tool ran between the two model calls
    const t = (s: DecodedSpan) => BigInt(s.startTimeUnixNano);
    const [l1, l2] = llm.sort((a, b) => Number(t(a) - t(b)));
    expect(t(tool[0]!) >= t(l1!)).toBe(true);
    expect(t(tool[0]!) <= t(l2!)).toBe(true);
    expect(agent.attributes["fallom.total_usage.input_tokens"]).toBe(6);
  });

  it("a model switched in by prepareStep is traced too; prepareStep's own result is kept", async () => {
    sdk = await setupSdk();
    const second = new MockLanguageModelV4({ provider: "mock.chat", modelId: "second-model", doGenerate: async () => structuredClone(textResult("3")) as any });
    const seen: number[] = [];
    const r = await wrapAISDK(ai).generateText({
      model: genModel(toolCallResult),
      tools: makeTools(),
      prompt: "x",
      stopWhen: ai.stepCountIs(3),
      prepareStep: ({ stepNumber }) => {
        seen.push(stepNumber);
        return stepNumber === 1 ? { model: second } : undefined;
      },
    });
    expect(r.text).toBe("3");
    expect(seen).toEqual([0, 1]);
    expect(second.doGenerateCalls).toHaveLength(1);
    const { llm } = tree(await sdk.flushSpans());
    expect(llm.map((s) => s.attributes["gen_ai.request.model"]).sort()).toEqual(["mock-model", "second-model"]);
  });

  it("nests under the caller's active span and keeps llm/tool spans on the explicit parent", async () => {
    sdk = await setupSdk();
    const session = fallom.session({ sessionId: "outer" });
    const w = wrapAISDK(ai, { session });
    await session.trace("request", () =>
      w.generateText({ model: genModel(toolCallResult, textResult("3")), tools: makeTools(), prompt: "x", stopWhen: ai.stepCountIs(3) }),
    );
    const spans = await sdk.flushSpans();
    const outer = spans.find((s) => s.name === "request")!;
    const { agent } = tree(spans.filter((s) => s !== outer));
    expect(agent.parentSpanId).toBe(outer.spanId);
    expect(agent.traceId).toBe(outer.traceId);
  });

  it("concurrent calls never mix their trees", async () => {
    sdk = await setupSdk();
    const run = (id: string) =>
      wrapAISDK(ai, { session: fallom.session({ sessionId: id }) }).generateText({
        model: genModel(toolCallResult, textResult(id)),
        tools: makeTools(async ({ a, b }) => {
          await new Promise((r) => setTimeout(r, 5));
          return a + b;
        }),
        prompt: id,
        stopWhen: ai.stepCountIs(3),
      });
    await Promise.all(["a", "b", "c"].map(run));
    const spans = await sdk.flushSpans();
    for (const id of ["a", "b", "c"]) {
      const mine = spans.filter((s) => s.attributes["session.id"] === id);
      expect(mine).toHaveLength(4);
      tree(mine);
    }
  });

  it("a throwing tool: tool span error, result identical to the unwrapped call", async () => {
    sdk = await setupSdk({ captureContent: true });
    const failing = () =>
      makeTools(() => {
        throw new TypeError("bad input");
      });
    const opts = () => ({ model: genModel(toolCallResult, textResult("sorry")), prompt: "x", stopWhen: ai.stepCountIs(3) });
    const plain = await ai.generateText({ ...opts(), tools: failing() });
    const wrapped = await wrapAISDK(ai).generateText({ ...opts(), tools: failing() });
    expect(textView(wrapped)).toEqual(textView(plain));
    expect(wrapped.steps[0]!.content.some((p: any) => p.type === "tool-error")).toBe(true);
    const { tool, agent } = tree(await sdk.flushSpans());
    expect(tool).toHaveLength(1);
    expect(tool[0]!.status).toMatchObject({ code: 2, message: "bad input" });
    expect(tool[0]!.events[0]).toMatchObject({ name: "exception", attributes: { "exception.type": "TypeError" } });
    expect(tool[0]!.attributes["gen_ai.tool.call.result"]).toBeUndefined();
    expect(agent.status?.code ?? 0).not.toBe(2);
  });

  it("generateText results are identical with and without wrapAISDK (multi-step)", async () => {
    sdk = await setupSdk({ captureContent: true });
    const opts = () => ({ model: genModel(toolCallResult, textResult("3")), tools: makeTools(), prompt: "x", stopWhen: ai.stepCountIs(3) });
    const plain = await ai.generateText(opts());
    const wrapped = await wrapAISDK(ai).generateText(opts());
    expect(textView(wrapped)).toEqual(textView(plain));
    expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(plain));
  });

  it("model errors reject unchanged and mark the agent span", async () => {
    sdk = await setupSdk();
    const err = new Error("provider down");
    const model = () =>
      new MockLanguageModelV4({
        doGenerate: async () => {
          throw err;
        },
      });
    const plain = await ai.generateText({ model: model(), prompt: "x", maxRetries: 0 }).catch((e) => e);
    const wrapped = await wrapAISDK(ai).generateText({ model: model(), prompt: "x", maxRetries: 0 }).catch((e) => e);
    expect(wrapped).toBe(err);
    expect(plain).toBe(err);
    const { agent, llm } = tree(await sdk.flushSpans());
    expect(agent.status).toMatchObject({ code: 2, message: "provider down" });
    expect(llm[0]!.status?.code).toBe(2);
  });

  it("never mutates the user's tools and keeps every tool property", async () => {
    sdk = await setupSdk();
    const tools = makeTools();
    const execute = tools.add.execute;
    const before = { keys: Object.keys(tools.add), description: tools.add.description, schema: tools.add.inputSchema };
    await wrapAISDK(ai).generateText({ model: genModel(toolCallResult, textResult("3")), tools, prompt: "x", stopWhen: ai.stepCountIs(3) });
    expect(tools.add.execute).toBe(execute);
    expect({ keys: Object.keys(tools.add), description: tools.add.description, schema: tools.add.inputSchema }).toEqual(before);
    expect(Object.keys(tools)).toEqual(["add"]);
  });

  it("user callbacks run exactly once with the same data (generateText and streamText)", async () => {
    sdk = await setupSdk();
    const calls = () => ({ onFinish: [] as any[], onStepFinish: [] as any[], onChunk: [] as any[] });
    const record = (c: ReturnType<typeof calls>) => ({
      onFinish: (e: any) => void c.onFinish.push(stable({ text: e.text, usage: e.totalUsage, steps: stepView(e.steps) })),
      onStepFinish: (e: any) => void c.onStepFinish.push(stable(stepView([e]))),
      onChunk: (e: any) => void c.onChunk.push(stable(e.chunk)),
    });
    const a = calls();
    const b = calls();
    const sOpts = () => ({ model: streamModel(toolChunks, textChunks("three it is")), tools: makeTools(), prompt: "x", stopWhen: ai.stepCountIs(3) });
    await ai.streamText({ ...sOpts(), ...record(a) }).consumeStream();
    await wrapAISDK(ai).streamText({ ...sOpts(), ...record(b) }).consumeStream();
    expect(b).toEqual(a);
    expect(b.onFinish).toHaveLength(1);
    expect(b.onStepFinish).toHaveLength(2);
    expect(b.onChunk.length).toBeGreaterThan(3);

    const g1 = calls();
    const g2 = calls();
    const { onChunk: _1, ...gr1 } = record(g1);
    const { onChunk: _2, ...gr2 } = record(g2);
    const gOpts = () => ({ model: genModel(toolCallResult, textResult("3")), tools: makeTools(), prompt: "x", stopWhen: ai.stepCountIs(3) });
    await ai.generateText({ ...gOpts(), ...gr1 });
    await wrapAISDK(ai).generateText({ ...gOpts(), ...gr2 });
    expect(g2).toEqual(g1);
    expect(g2.onFinish).toHaveLength(1);
  });
});

describe("wrapAISDK streamText (ai 7)", () => {
  const opts = () => ({ model: streamModel(toolChunks, textChunks("one two three")), tools: makeTools(), prompt: "x", stopWhen: ai.stepCountIs(3) });

  async function expectOneFinishedAgent(llmCount = 2) {
    await new Promise((r) => setTimeout(r, 10));
    const spans = await sdk.flushSpans();
    const { agent, llm, tool } = tree(spans);
    expect(llm).toHaveLength(llmCount);
    expect(tool).toHaveLength(llmCount - 1);
    expect(sdk.collector.allSpans().filter((s) => s.attributes["fallom.span.type"] === "agent")).toHaveLength(1);
    expect(agent.attributes["fallom.stream.unconsumed"]).toBeUndefined();
    expect(agent.status?.code ?? 0).not.toBe(2);
    return agent;
  }

  it("consumed via textStream", async () => {
    sdk = await setupSdk({ captureContent: true });
    let finished = 0;
    const r = wrapAISDK(ai).streamText({ ...opts(), onFinish: () => void finished++ });
    let text = "";
    for await (const t of r.textStream) text += t;
    expect(text).toBe("one two three");
    expect(finished).toBe(1);
    const agent = await expectOneFinishedAgent();
    expect(agent.name).toBe("invoke_agent streamText");
    expect(agent.attributes["fallom.output"]).toBe("one two three");
    expect(agent.attributes["fallom.total_usage.output_tokens"]).toBe(10);
  });

  it("consumed via fullStream: identical parts", async () => {
    sdk = await setupSdk();
    const read = async (r: any) => {
      const parts: unknown[] = [];
      for await (const p of r.fullStream) parts.push(p);
      return stable(parts);
    };
    const plain = await read(ai.streamText(opts()));
    const wrapped = await read(wrapAISDK(ai).streamText(opts()));
    expect(wrapped).toEqual(plain);
    expect((plain as any[]).length).toBeGreaterThan(10);
    await expectOneFinishedAgent();
  });

  it("consumed via toTextStreamResponse() read to the end", async () => {
    sdk = await setupSdk();
    const res = wrapAISDK(ai).streamText(opts()).toTextStreamResponse();
    expect(await res.text()).toBe("one two three");
    await expectOneFinishedAgent();
  });

  it("consumed via toUIMessageStreamResponse(): same body as unwrapped", async () => {
    sdk = await setupSdk();
    const norm = (s: string) => s.replace(/"(messageId|id)":"[^"]*"/g, '"$1":"<id>"');
    const plain = await ai.streamText(opts()).toUIMessageStreamResponse().text();
    const wrapped = await wrapAISDK(ai).streamText(opts()).toUIMessageStreamResponse().text();
    expect(norm(wrapped)).toBe(norm(plain));
    await expectOneFinishedAgent();
  });

  it("onFinish only (consumeStream), and the result object is ai's own", async () => {
    sdk = await setupSdk();
    let event: any;
    const plain = ai.streamText(opts());
    const r = wrapAISDK(ai).streamText({ ...opts(), onFinish: (e) => void (event = e) });
    expect(Object.getPrototypeOf(r)).toBe(Object.getPrototypeOf(plain));
    expect(typeof r.toUIMessageStreamResponse).toBe("function");
    await r.consumeStream();
    await plain.consumeStream();
    expect(event.text).toBe("one two three");
    expect(await r.text).toBe("one two three");
    expect(stable(await r.usage)).toEqual(stable(await plain.usage));
    await expectOneFinishedAgent();
  });

  it("ai 7 onEnd: the user's onEnd runs (not onFinish, as in ai) and the parent ends", async () => {
    sdk = await setupSdk();
    const seen: string[] = [];
    await wrapAISDK(ai)
      .streamText({ ...opts(), onEnd: () => void seen.push("end"), onFinish: () => void seen.push("finish") } as any)
      .consumeStream();
    const plainSeen: string[] = [];
    await ai.streamText({ ...opts(), onEnd: () => void plainSeen.push("end"), onFinish: () => void plainSeen.push("finish") } as any).consumeStream();
    expect(seen).toEqual(plainSeen);
    expect(seen).toEqual(["end"]);
    await expectOneFinishedAgent();
  });

  it("never consumed: flush ends the parent at its deadline", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 500 });
    wrapAISDK(ai).streamText({ model: streamModel(textChunks("never read")), prompt: "x" });
    const spans = await sdk.flushSpans();
    const agent = byType(spans, "agent");
    expect(agent).toHaveLength(1);
    expect(agent[0]!.attributes["fallom.stream.unconsumed"]).toBe(true);
    expect(agent[0]!.status?.code).toBe(2);
  });

  it("stream errors: user's onError once, agent marked, default console.error kept when no onError", async () => {
    sdk = await setupSdk();
    const model = () =>
      new MockLanguageModelV4({
        doStream: async () => {
          throw new Error("stream boom");
        },
      });
    const errors: unknown[] = [];
    const r = wrapAISDK(ai).streamText({ model: model(), prompt: "x", maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    await r.consumeStream();
    expect(errors).toHaveLength(1);
    const logged: unknown[] = [];
    const orig = console.error;
    console.error = (e: unknown) => void logged.push(e);
    try {
      await wrapAISDK(ai).streamText({ model: model(), prompt: "x", maxRetries: 0 }).consumeStream();
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      console.error = orig;
    }
    expect(logged).toHaveLength(1);
    expect((logged[0] as Error).message).toBe("stream boom");
    const agents = byType(await sdk.flushSpans(), "agent");
    expect(agents).toHaveLength(2);
    for (const a of agents) expect(a.status).toMatchObject({ code: 2, message: "stream boom" });
  });

  it("a throwing user onFinish behaves as unwrapped and the parent still ends", async () => {
    sdk = await setupSdk();
    const boom = () => {
      throw new Error("user bug");
    };
    const outcome = async (r: any) => {
      try {
        await r.consumeStream();
        return { ok: await r.text };
      } catch (e) {
        return { err: String(e) };
      }
    };
    const plain = await outcome(ai.streamText({ ...opts(), onFinish: boom }));
    const wrapped = await outcome(wrapAISDK(ai).streamText({ ...opts(), onFinish: boom }));
    expect(wrapped).toEqual(plain);
    await expectOneFinishedAgent();
  });

  it("abort: user's onAbort runs, agent ends once with the abort recorded", async () => {
    sdk = await setupSdk();
    const ac = new AbortController();
    let aborted = 0;
    const model = new MockLanguageModelV4({
      doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: textChunks("a b c d e f") as any[], chunkDelayInMs: 20 }) }),
    });
    const r = wrapAISDK(ai).streamText({ model, prompt: "x", abortSignal: ac.signal, onAbort: () => void aborted++ });
    setTimeout(() => ac.abort(), 50);
    await Promise.resolve(r.consumeStream()).catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toBe(1);
    const agents = byType(await sdk.flushSpans(), "agent");
    expect(agents).toHaveLength(1);
    expect(agents[0]!.attributes["fallom.stream.cancelled"]).toBe(true);
    expect(agents[0]!.status?.code).toBe(2);
  });
});

describe("wrapAISDK objects and embeddings (ai 7)", () => {
  const schema = z.object({ city: z.string(), temp: z.number() });
  const json = '{"city":"Paris","temp":21}';

  it("generateObject with a zod schema", async () => {
    sdk = await setupSdk({ captureContent: true });
    const model = () => genModel(textResult(json));
    const plain = await ai.generateObject({ model: model(), schema, prompt: "weather" });
    const r = await wrapAISDK(ai).generateObject({ model: model(), schema, prompt: "weather" });
    expect(r.object).toEqual({ city: "Paris", temp: 21 });
    expect(stable({ o: r.object, u: r.usage, f: r.finishReason })).toEqual(stable({ o: plain.object, u: plain.usage, f: plain.finishReason }));
    const { agent, llm } = tree(await sdk.flushSpans());
    expect(llm).toHaveLength(1);
    expect(agent.name).toBe("invoke_agent generateObject");
    expect(JSON.parse(agent.attributes["fallom.output"] as string)).toEqual({ city: "Paris", temp: 21 });
  });

  it("streamObject with a zod schema: partial stream identical, parent ends once", async () => {
    sdk = await setupSdk({ captureContent: true });
    const chunks = () => [
      { type: "stream-start", warnings: [] },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: '{"city":"Par' },
      { type: "text-delta", id: "t", delta: 'is","temp":21}' },
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: fr("stop"), usage },
    ];
    const model = () => new MockLanguageModelV4({ doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: chunks() as any[] }) }) });
    const read = async (r: any) => {
      const parts: unknown[] = [];
      for await (const p of r.partialObjectStream) parts.push(p);
      return { parts, object: await r.object };
    };
    let finished = 0;
    const plain = await read(ai.streamObject({ model: model(), schema, prompt: "x" }));
    const wrapped = await read(wrapAISDK(ai).streamObject({ model: model(), schema, prompt: "x", onFinish: () => void finished++ }));
    expect(wrapped).toEqual(plain);
    expect(finished).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    const { agent, llm } = tree(await sdk.flushSpans());
    expect(llm).toHaveLength(1);
    expect(JSON.parse(agent.attributes["fallom.output"] as string)).toEqual({ city: "Paris", temp: 21 });
    expect(agent.attributes["fallom.total_usage.input_tokens"]).toBe(3);
  });

  it("streamObject whose output misses the schema: same onFinish error as unwrapped, agent marked", async () => {
    sdk = await setupSdk();
    const chunks = () => [
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: '{"city":42}' },
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: fr("stop"), usage },
    ];
    const model = () => new MockLanguageModelV4({ doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: chunks() as any[] }) }) });
    const run = async (fn: typeof ai.streamObject) => {
      let error: unknown;
      const r = fn({ model: model(), schema, prompt: "x", onFinish: (e) => void (error = e.error) });
      for await (const _ of r.partialObjectStream);
      const rejected = await r.object.then(
        () => "resolved",
        (e: any) => e.name,
      );
      return { error: (error as any)?.name, rejected };
    };
    const plain = await run(ai.streamObject);
    const wrapped = await run(wrapAISDK(ai).streamObject);
    expect(wrapped).toEqual(plain);
    expect(plain.error).toBe("AI_NoObjectGeneratedError");
    await new Promise((r) => setTimeout(r, 10));
    const { agent } = tree(await sdk.flushSpans());
    expect(agent.status?.code).toBe(2);
  });

  it("embed / embedMany: one embeddings span with the token count", async () => {
    sdk = await setupSdk();
    const { MockEmbeddingModelV4 } = await import("ai/test");
    const model = new MockEmbeddingModelV4({
      provider: "mock",
      modelId: "embed-1",
      doEmbed: async ({ values }: any) => ({ embeddings: values.map(() => [1, 2]), usage: { tokens: 4 }, warnings: [] }),
    } as any);
    const w = wrapAISDK(ai);
    expect((await w.embed({ model, value: "x" })).embedding).toEqual([1, 2]);
    expect((await w.embedMany({ model, values: ["x", "y"] })).embeddings).toHaveLength(2);
    const spans = await sdk.flushSpans();
    // semconv name `embeddings {model}`; agent name and provider are not an embedding's
    expect(spans.map((s) => s.name)).toEqual(["embeddings embed-1", "embeddings embed-1"]);
    for (const s of spans) expect(s.attributes).toMatchObject({ "gen_ai.operation.name": "embeddings", "gen_ai.request.model": "embed-1", "gen_ai.provider.name": "mock" });
    // the mock embeds one value per call: embedMany sums two calls' usage
    expect(spans[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(4);
    expect(spans[1]!.attributes["gen_ai.usage.input_tokens"]).toBe(8);
  });

  it("captureContent: false keeps input, output, tool arguments and results out", async () => {
    sdk = await setupSdk({ captureContent: false });
    await wrapAISDK(ai).generateText({ model: genModel(toolCallResult, textResult("3")), tools: makeTools(), prompt: "secret", stopWhen: ai.stepCountIs(3) });
    const spans = await sdk.flushSpans();
    const { tool } = tree(spans);
    expect(tool[0]!.attributes["gen_ai.tool.name"]).toBe("add");
    for (const s of spans)
      for (const k of ["fallom.input", "fallom.output", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.input.messages"])
        expect(s.attributes[k]).toBeUndefined();
  });
});
