// wrapAISDK on ai 5 (spec v2), ai 6 (v3) and ai 7 (v4) with AsyncLocalStorage unavailable:
// every parent link must come from the explicit parent, as on Workers without nodejs_als.
import * as ai7 from "ai";
import { MockLanguageModelV3 as Mock7V3, MockLanguageModelV4 } from "ai/test";
import * as ai5 from "ai5";
import { MockLanguageModelV2 } from "ai5/test";
import * as ai6 from "ai6";
import { MockLanguageModelV3 } from "ai6/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { hasContext } from "../../../src/core/context";
import { wrapAISDK } from "../../../src/integrations/ai-sdk/wrap-ai-sdk";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

// no AsyncLocalStorage anywhere: not on globalThis, not from process.getBuiltinModule, not by import()
vi.mock("node:async_hooks", () => ({}));
const getBuiltin = (process as any).getBuiltinModule;
(process as any).getBuiltinModule = (id: string) => (/async_hooks/.test(id) ? undefined : getBuiltin.call(process, id));
(globalThis as any).AI_SDK_LOG_WARNINGS = false;

interface Version {
  name: string;
  ai: any;
  Mock: any;
  v2: boolean;
}
const VERSIONS: Version[] = [
  { name: "ai 5 (spec v2)", ai: ai5, Mock: MockLanguageModelV2, v2: true },
  { name: "ai 6 (spec v3)", ai: ai6, Mock: MockLanguageModelV3, v2: false },
  { name: "ai 7 (spec v3 model)", ai: ai7, Mock: Mock7V3, v2: false },
  { name: "ai 7 (spec v4)", ai: ai7, Mock: MockLanguageModelV4, v2: false },
];

const VOLATILE = /^(callId|timestamp|performance|responseId)$|Ms$|PerSecond$/;
const stable = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v ?? null, (k, x) =>
      VOLATILE.test(k) ? undefined : typeof x === "string" && /^(aitxt|aiobj|call|msg)-\w{8,}$/.test(x) ? "<id>" : x,
    ),
  );

function tree(spans: DecodedSpan[]) {
  const type = (t: string) => spans.filter((s) => s.attributes["fallom.span.type"] === t);
  const agents = type("agent");
  expect(agents).toHaveLength(1);
  const agent = agents[0]!;
  for (const s of spans) if (s !== agent) expect([s.traceId, s.parentSpanId]).toEqual([agent.traceId, agent.spanId]);
  return { agent, llm: type("llm"), tool: type("tool") };
}

let sdk: TestSdk;
beforeAll(async () => {
  sdk = await setupSdk({ captureContent: true });
});
afterAll(async () => {
  await sdk.close();
  (process as any).getBuiltinModule = getBuiltin;
});

it("runs without AsyncLocalStorage", () => {
  expect(hasContext()).toBe(false);
});

describe.each(VERSIONS)("$name", ({ ai, Mock, v2 }) => {
  const usage = v2 ? { inputTokens: 3, outputTokens: 5, totalTokens: 8 } : { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 5, text: 5 } };
  const fr = (u: string) => (v2 ? u : { unified: u, raw: u });
  const toolCall = v2
    ? { type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' }
    : { type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' };
  const gen = (...results: any[]) => {
    let i = 0;
    return new Mock({ provider: "mock.chat", modelId: "m", doGenerate: async () => structuredClone(results[Math.min(i++, results.length - 1)]) });
  };
  const text = (t: string) => ({ content: [{ type: "text", text: t }], finishReason: fr("stop"), usage, warnings: [] });
  const calls = { content: [toolCall], finishReason: fr("tool-calls"), usage, warnings: [] };
  const chunks = (...parts: any[]) => [{ type: "stream-start", warnings: [] }, ...parts];
  const textChunks = (t: string) =>
    chunks({ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: t }, { type: "text-end", id: "t" }, { type: "finish", finishReason: fr("stop"), usage });
  const toolChunks = chunks(toolCall, { type: "finish", finishReason: fr("tool-calls"), usage });
  const streamer = (...steps: any[][]) => {
    let i = 0;
    return new Mock({ doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: steps[Math.min(i++, steps.length - 1)] }) }) });
  };
  const tools = () => ({ add: ai.tool({ inputSchema: z.object({ a: z.number(), b: z.number() }), execute: async ({ a, b }: any) => a + b }) });
  const loop = { stopWhen: ai.stepCountIs(3), prompt: "add" };
  const view = (r: any) =>
    stable({ text: r.text, toolCalls: r.toolCalls, toolResults: r.toolResults, usage: r.usage, finishReason: r.finishReason, steps: r.steps.map((s: any) => ({ content: s.content, usage: s.usage })) });

  it("generateText tool loop: same result, agent → 2 llm + 1 tool", async () => {
    sdk.collector.reset();
    const plain = await ai.generateText({ model: gen(calls, text("3")), tools: tools(), ...loop });
    const wrapped = await wrapAISDK(ai).generateText({ model: gen(calls, text("3")), tools: tools(), ...loop });
    expect(view(wrapped)).toEqual(view(plain));
    expect(wrapped.text).toBe("3");
    const { agent, llm, tool } = tree(await sdk.flushSpans());
    expect([llm.length, tool.length]).toEqual([2, 1]);
    expect(agent.attributes).toMatchObject({ "fallom.output": "3", "fallom.total_usage.input_tokens": 6, "gen_ai.operation.name": "invoke_agent" });
    expect(tool[0]!.attributes).toMatchObject({ "gen_ai.tool.name": "add", "gen_ai.tool.call.id": "c1", "gen_ai.tool.call.result": 3 });
    expect(llm[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(3);
  });

  it("streamText tool loop via fullStream: identical parts, parent ends once with output", async () => {
    sdk.collector.reset();
    const read = async (r: any) => {
      const parts: unknown[] = [];
      for await (const p of r.fullStream) parts.push(p);
      return stable(parts);
    };
    let finished = 0;
    const plain = await read(ai.streamText({ model: streamer(toolChunks, textChunks("three")), tools: tools(), ...loop }));
    const wrapped = await read(
      wrapAISDK(ai).streamText({ model: streamer(toolChunks, textChunks("three")), tools: tools(), ...loop, onFinish: () => void finished++ }),
    );
    expect(wrapped).toEqual(plain);
    expect(finished).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    const { agent, llm, tool } = tree(await sdk.flushSpans());
    expect([llm.length, tool.length]).toEqual([2, 1]);
    expect(agent.attributes["fallom.output"]).toBe("three");
    expect(sdk.collector.allSpans().filter((s) => s.attributes["fallom.span.type"] === "agent")).toHaveLength(1);
  });

  it("streamText via textStream and toTextStreamResponse", async () => {
    sdk.collector.reset();
    let t = "";
    for await (const d of wrapAISDK(ai).streamText({ model: streamer(textChunks("hi")), prompt: "x" }).textStream) t += d;
    expect(t).toBe("hi");
    expect(await wrapAISDK(ai).streamText({ model: streamer(textChunks("yo")), prompt: "x" }).toTextStreamResponse().text()).toBe("yo");
    await new Promise((r) => setTimeout(r, 10));
    const agents = (await sdk.flushSpans()).filter((s) => s.attributes["fallom.span.type"] === "agent");
    expect(agents.map((a) => a.attributes["fallom.output"]).sort()).toEqual(["hi", "yo"]);
  });

  it("generateObject and streamObject with a zod schema", async () => {
    sdk.collector.reset();
    const schema = z.object({ n: z.number() });
    const g = await wrapAISDK(ai).generateObject({ model: gen(text('{"n":1}')), schema, prompt: "x" });
    expect(g.object).toEqual({ n: 1 });
    const s = wrapAISDK(ai).streamObject({ model: streamer(textChunks('{"n":2}')), schema, prompt: "x" });
    // streamObject's promises settle only once its stream is read
    for await (const _ of s.partialObjectStream);
    expect(await s.object).toEqual({ n: 2 });
    await new Promise((r) => setTimeout(r, 10));
    const spans = await sdk.flushSpans();
    for (const name of ["generateObject", "streamObject"]) {
      const agent = spans.find((x) => x.name === "invoke_agent " + name)!;
      const { llm } = tree(spans.filter((x) => x.traceId === agent.traceId));
      expect(llm).toHaveLength(1);
    }
  });
});
