// @ai-sdk/openai (chat completions and responses) against a local server speaking OpenAI's wire format:
// usage normalisation and cost on real parsing, JSON and SSE, with and without stream usage (D1, D2, D4).
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText, stepCountIs, tool, wrapLanguageModel } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { fallomMiddleware, traceModel } from "../../../src/integrations/ai-sdk/index";
import { startFakeProvider, TEXT, TOOL, type FakeProvider } from "../../support/fake-provider";
import { setupSdk, type TestSdk } from "../../support/sdk";

let sdk: TestSdk;
let fake: FakeProvider;
beforeEach(async () => {
  sdk = await setupSdk();
  fake = await startFakeProvider();
});
afterEach(async () => {
  await fake.close();
  await sdk.close();
});

const openai = () => createOpenAI({ baseURL: fake.url + "/v1", apiKey: "x" });

// 2006 prompt tokens of which 1920 cached; 300 completion tokens of which 192 reasoning
const USAGE = {
  "gen_ai.usage.input_tokens": 2006,
  "gen_ai.usage.output_tokens": 300,
  "gen_ai.usage.cache_read.input_tokens": 1920,
  "gen_ai.usage.reasoning.output_tokens": 192,
};
const NO_USAGE = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
  "gen_ai.usage.cache_read.input_tokens",
  "gen_ai.usage.cache_creation.input_tokens",
  "gen_ai.usage.reasoning.output_tokens",
];
// gpt-4o-mini: $0.15 / $0.60 per Mtok, cached input $0.075
const GPT_4O_MINI_COST = { "fallom.cost.input_usd": 0.0001569, "fallom.cost.output_usd": 0.00018, "fallom.cost.total_usd": 0.0003369 };

function expectSubsets(a: Record<string, unknown>): void {
  // D1: cached ⊆ input, reasoning ⊆ output
  expect(a["gen_ai.usage.cache_read.input_tokens"] as number).toBeLessThanOrEqual(a["gen_ai.usage.input_tokens"] as number);
  expect(a["gen_ai.usage.reasoning.output_tokens"] as number).toBeLessThanOrEqual(a["gen_ai.usage.output_tokens"] as number);
}

const apis = [
  { api: "chat", model: (id: string) => openai().chat(id), provider: "openai.chat", id: "chatcmpl-fake1" },
  { api: "responses", model: (id: string) => openai().responses(id), provider: "openai.responses", id: "resp_fake1" },
] as const;

for (const { api, model, provider, id } of apis) {
  describe(`@ai-sdk/openai ${api} API`, () => {
    it("generateText (JSON): usage, response metadata and cost from the real response", async () => {
      fake.options.responseModel = "gpt-4o-mini-2024-07-18";
      const result = await generateText({ model: traceModel(model("gpt-4o-mini")), prompt: "Hi", temperature: 0.2 });
      expect(result.text).toBe(TEXT.join(""));
      const [span] = await sdk.flushSpans();
      expect(span!.kind).toBe(3);
      expect(span!.attributes).toMatchObject({
        "gen_ai.provider.name": "openai",
        "fallom.provider.raw": provider,
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
        "gen_ai.response.id": id,
        "gen_ai.request.stream": false,
        "gen_ai.response.finish_reasons": ["stop"],
        ...USAGE,
      });
      expectSubsets(span!.attributes);
      for (const [k, v] of Object.entries(GPT_4O_MINI_COST)) expect(span!.attributes[k]).toBeCloseTo(v, 12);
    });

    it("streamText (SSE) with stream usage: same usage as JSON, TTFT measured", async () => {
      const result = streamText({ model: wrapLanguageModel({ model: model("gpt-4o-mini"), middleware: fallomMiddleware() }), prompt: "Hi" });
      expect(await result.text).toBe(TEXT.join(""));
      const [span] = await sdk.flushSpans();
      expect(span!.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.response.id": id, "gen_ai.response.finish_reasons": ["stop"], ...USAGE });
      expect(span!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
      expect(span!.attributes["fallom.cost.total_usd"]).toBeCloseTo(GPT_4O_MINI_COST["fallom.cost.total_usd"], 12);
      expect(span!.status?.code ?? 0).toBe(0);
    });

    it("streamText without usage in the stream: usage and cost absent, never 0 (D2)", async () => {
      fake.options.streamUsage = false;
      const result = streamText({ model: traceModel(model("gpt-4o-mini")), prompt: "Hi" });
      expect(await result.text).toBe(TEXT.join(""));
      const [span] = await sdk.flushSpans();
      for (const k of NO_USAGE) expect(span!.attributes).not.toHaveProperty(k);
      expect(Object.keys(span!.attributes).filter((k) => k.startsWith("fallom.cost."))).toEqual([]);
      expect(span!.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    });

    it("an unpriced model gets usage but no cost attributes (D4)", async () => {
      await generateText({ model: traceModel(model("fake-private-model")), prompt: "Hi" });
      const [span] = await sdk.flushSpans();
      expect(span!.attributes).toMatchObject(USAGE);
      expect(Object.keys(span!.attributes).filter((k) => k.startsWith("fallom.cost."))).toEqual([]);
    });

    it("an HTTP error reaches the caller unchanged and marks the span failed", async () => {
      fake.options.failStatus = 400;
      let caught: unknown;
      try {
        await generateText({ model: traceModel(model("gpt-4o-mini")), prompt: "Hi", maxRetries: 0 });
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).name).toBe("AI_APICallError");
      const [span] = await sdk.flushSpans();
      expect(span!.status).toMatchObject({ code: 2, message: (caught as Error).message });
      expect(span!.events[0]!.attributes["exception.type"]).toBe("AI_APICallError");
    });
  });
}

describe("@ai-sdk/openai chat: streams over real HTTP", () => {
  it("abort mid-stream: the caller sees the abort, the span ends once, failed, without usage (C5)", async () => {
    fake.options.eventDelayMs = 30;
    const controller = new AbortController();
    const result = streamText({ model: traceModel(openai().chat("gpt-4o-mini")), prompt: "Hi", abortSignal: controller.signal, onError: () => {} });
    const types: string[] = [];
    try {
      for await (const p of result.fullStream) {
        types.push(p.type);
        if (p.type === "text-delta") controller.abort();
      }
    } catch {
      types.push("threw");
    }
    expect(types.filter((t) => t === "text-delta")).toHaveLength(1);
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status?.code).toBe(2);
    for (const k of NO_USAGE) expect(all[0]!.attributes).not.toHaveProperty(k);
  });

  it("consumer cancel at the model level closes the HTTP response; span cancelled (C5)", async () => {
    fake.options.eventDelayMs = 30;
    const result = await traceModel(openai().chat("gpt-4o-mini")).doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
    const reader = result.stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const [span] = await sdk.flushSpans();
    expect(span!.status).toEqual({ code: 2, message: "cancelled" });
    expect(span!.attributes["fallom.stream.cancelled"]).toBe(true);
    for (const k of NO_USAGE) expect(span!.attributes).not.toHaveProperty(k);
  });
});

describe("@ai-sdk/openai chat: tool loop over the wire", () => {
  it("one llm span per step, tool call recorded, input of step 2 carries the tool result", async () => {
    fake.options.toolCalls = true;
    const weather = tool({ description: "Weather of a city", inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, celsius: 21 }) });
    const result = streamText({ model: traceModel(openai().chat("gpt-4o-mini")), prompt: "Weather in Paris?", tools: { weather }, stopWhen: stepCountIs(3) });
    expect(await result.text).toBe(TEXT.join(""));
    const spans = await sdk.flushSpans();
    expect(spans).toHaveLength(2);
    const [first, second] = spans.sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
    expect(first!.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_call"]);
    expect(first!.attributes["fallom.response.tool_calls"]).toEqual([TOOL.name]);
    expect(JSON.parse(first!.attributes["gen_ai.output.messages"] as string)[0].parts).toEqual([
      { type: "tool_call", id: TOOL.id, name: TOOL.name, arguments: JSON.parse(TOOL.arguments) },
    ]);
    expect(JSON.parse(first!.attributes["gen_ai.tool.definitions"] as string)).toMatchObject([
      { type: "function", name: "weather", description: "Weather of a city", parameters: { type: "object" } },
    ]);
    const input = JSON.parse(second!.attributes["gen_ai.input.messages"] as string);
    expect(input.map((m: any) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(input[2].parts[0]).toEqual({ type: "tool_call_response", id: TOOL.id, response: { city: "Paris", celsius: 21 } });
    expect(second!.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    for (const s of spans) expect(s.attributes["gen_ai.usage.input_tokens"]).toBe(2006);
  });
});
