// Issue 8's deviations, each shown on the exported OTLP/JSON itself (value kinds as sent, not as decoded).
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../src/index";
import { traceModel } from "../../src/integrations/ai-sdk/trace-model";
import { wrapAISDK } from "../../src/integrations/ai-sdk/wrap-ai-sdk";
import { setupSdk, type TestSdk } from "../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;

let sdk: TestSdk | undefined;
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
});

type KeyValue = { key: string; value: Record<string, any> };
/** every exported span as sent: name + raw KeyValue list */
async function rawSpans(): Promise<Array<{ name: string; attributes: KeyValue[]; events?: Array<{ name: string; attributes: KeyValue[] }> }>> {
  await fallom.flush();
  return sdk!.collector.requests.flatMap((r: any) => r.json?.resourceSpans?.[0]?.scopeSpans?.[0]?.spans ?? []);
}
const raw = (attrs: KeyValue[], key: string) => attrs.find((a) => a.key === key)?.value;

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 5, text: 5 } };
const fr = (u: string) => ({ unified: u, raw: u });

describe("numbers are encoded by the attribute's semantic type", () => {
  it("whole-number doubles stay doubles (temperature, top_k, penalties, score, cost, metrics); token counts are ints", async () => {
    sdk = await setupSdk();
    const span = fallom.session().startSpan("chat", { type: "llm" });
    span.setAttributes({
      "gen_ai.request.temperature": 1,
      "gen_ai.request.top_p": 1,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.frequency_penalty": 0,
      "gen_ai.request.presence_penalty": 2,
      "gen_ai.response.time_to_first_chunk": 1,
      "fallom.cost.total_usd": 0,
    });
    span.setTokens({ input: 12, output: 34 });
    span.evaluate({ name: "exact", score: 1 });
    span.end();
    fallom.trace.span({ calls: 3 });
    const spans = await rawSpans();
    const chat = spans.find((s) => s.name === "chat")!;
    for (const key of ["gen_ai.request.temperature", "gen_ai.request.top_p", "gen_ai.request.top_k", "gen_ai.request.frequency_penalty", "gen_ai.request.presence_penalty", "gen_ai.response.time_to_first_chunk", "fallom.cost.total_usd"])
      expect(raw(chat.attributes, key), key).toEqual({ doubleValue: expect.any(Number) });
    expect(raw(chat.attributes, "gen_ai.usage.input_tokens")).toEqual({ intValue: "12" });
    expect(raw(chat.attributes, "gen_ai.usage.output_tokens")).toEqual({ intValue: "34" });
    const evaluation = spans.find((s) => s.name === "evaluation exact")!;
    expect(raw(evaluation.attributes, "gen_ai.evaluation.score.value")).toEqual({ doubleValue: 1 });
    expect(raw(chat.events!.find((e) => e.name === "gen_ai.evaluation.result")!.attributes, "gen_ai.evaluation.score.value")).toEqual({ doubleValue: 1 });
    expect(raw(spans.find((s) => s.name === "fallom.metrics")!.attributes, "fallom.metric.calls")).toEqual({ doubleValue: 3 });
  });

  it("number arrays share one type; NaN / Infinity are the proto3 JSON strings, never null", async () => {
    sdk = await setupSdk();
    fallom
      .session()
      .startSpan("arrays")
      .setAttributes({ mixed: [1, 2.5], ints: [1, 2], odd: [1, NaN, Infinity, -Infinity] })
      .end();
    const [span] = await rawSpans();
    expect(raw(span!.attributes, "mixed")).toEqual({ arrayValue: { values: [{ doubleValue: 1 }, { doubleValue: 2.5 }] } });
    expect(raw(span!.attributes, "ints")).toEqual({ arrayValue: { values: [{ intValue: "1" }, { intValue: "2" }] } });
    expect(raw(span!.attributes, "odd")).toEqual({
      arrayValue: { values: [{ doubleValue: 1 }, { doubleValue: "NaN" }, { doubleValue: "Infinity" }, { doubleValue: "-Infinity" }] },
    });
  });
});

describe("keys and names", () => {
  it("an empty key is left out; keys equal once lone surrogates are repaired become one (the last value)", async () => {
    sdk = await setupSdk();
    fallom.session().startSpan("keys").setAttribute("", 1).setAttribute("k\ud800", "a").setAttribute("k\udc00", "b").end();
    const [span] = await rawSpans();
    expect(span!.attributes.map((a) => a.key)).not.toContain("");
    expect(span!.attributes.filter((a) => a.key === "k\ufffd")).toEqual([{ key: "k\ufffd", value: { stringValue: "b" } }]);
    expect(sdk.collector.requests.every((r) => r.error === undefined)).toBe(true);
  });

  it("an empty span name is replaced by the span type", async () => {
    sdk = await setupSdk();
    fallom.session().startSpan("", { type: "tool" }).end();
    fallom.session().startSpan("").end();
    expect((await rawSpans()).map((s) => s.name)).toEqual(["tool", "custom"]);
  });
});

describe("GenAI spans", () => {
  it("manual llm / tool / agent / retrieval spans carry gen_ai.operation.name; custom ones do not", async () => {
    sdk = await setupSdk();
    const s = fallom.session();
    for (const type of ["llm", "tool", "agent", "retrieval", "custom"] as const) s.startSpan(type, { type }).end();
    const spans = await rawSpans();
    const op = (name: string) => raw(spans.find((x) => x.name === name)!.attributes, "gen_ai.operation.name")?.stringValue;
    expect(["llm", "tool", "agent", "retrieval", "custom"].map(op)).toEqual(["chat", "execute_tool", "invoke_agent", "retrieval", undefined]);
  });

  it("failed model and tool spans have error.type; invoke_agent spans are named after the agent, with agent and provider names; tools have type and description", async () => {
    sdk = await setupSdk();
    let step = 0;
    const model = new MockLanguageModelV4({
      provider: "mock.chat",
      modelId: "mock-model",
      doGenerate: async () =>
        step++ === 0
          ? { content: [{ type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' }], finishReason: fr("tool-calls"), usage, warnings: [] }
          : { content: [{ type: "text", text: "3" }], finishReason: fr("stop"), usage, warnings: [] },
    });
    const tools = {
      add: ai.tool({
        description: "adds two numbers",
        inputSchema: z.object({ a: z.number(), b: z.number() }),
        execute: async () => {
          throw new RangeError("no adding today");
        },
      }),
    };
    const w = wrapAISDK(ai, { session: fallom.session() });
    await w.generateText({ model, tools, prompt: "1+2?", stopWhen: ai.stepCountIs(2), experimental_telemetry: { functionId: "calculator" } } as any);
    const failing = new MockLanguageModelV4({
      provider: "mock.chat",
      modelId: "mock-model",
      doGenerate: async () => {
        throw new TypeError("provider down");
      },
    });
    await expect(traceModel(failing).doGenerate({ prompt: [] } as any)).rejects.toThrow("provider down");
    const spans = await rawSpans();
    const agent = spans.find((s) => s.name.startsWith("invoke_agent"))!;
    expect(agent.name).toBe("invoke_agent calculator");
    expect(raw(agent.attributes, "gen_ai.agent.name")).toEqual({ stringValue: "calculator" });
    expect(raw(agent.attributes, "gen_ai.provider.name")).toEqual({ stringValue: "mock" });
    const tool = spans.find((s) => s.name === "execute_tool add")!;
    expect(raw(tool.attributes, "error.type")).toEqual({ stringValue: "RangeError" });
    expect(raw(tool.attributes, "gen_ai.tool.type")).toEqual({ stringValue: "function" });
    expect(raw(tool.attributes, "gen_ai.tool.description")).toEqual({ stringValue: "adds two numbers" });
    const chats = spans.filter((s) => s.name === "chat mock-model");
    expect(chats.map((s) => raw(s.attributes, "error.type")?.stringValue)).toContain("TypeError");
  });

  it("with captureContent, a long prompt made only of base64-alphabet characters is exported as text", async () => {
    sdk = await setupSdk();
    const text = "y".repeat(100_000);
    const model = new MockLanguageModelV4({
      provider: "mock.chat",
      modelId: "mock-model",
      doGenerate: async () => ({ content: [{ type: "text", text }], finishReason: fr("stop"), usage, warnings: [] }),
    });
    await traceModel(model).doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text }] }] } as any);
    const [span] = await rawSpans();
    for (const key of ["gen_ai.input.messages", "gen_ai.output.messages"]) {
      const value = raw(span!.attributes, key)!.stringValue as string;
      expect(value, key).not.toMatch(/\[base64/);
      expect(value, key).toMatch(/^\[\{"role":"(user|assistant)","parts":\[\{"type":"text","content":"yyyy/);
    }
  });
});
