// @ai-sdk/anthropic against a local server speaking Anthropic's Messages wire format: cache reads and writes
// are part of input (no double counting), JSON and SSE agree, cost uses the cache rates (D1, D4).
import { createAnthropic } from "@ai-sdk/anthropic";
import { generateText, streamText, stepCountIs, tool, wrapLanguageModel } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { fallomMiddleware, traceModel } from "../../../src/integrations/ai-sdk/index";
import { ANTHROPIC_USAGE, startFakeProvider, TEXT, type FakeProvider } from "../../support/fake-provider";
import { setupSdk, type TestSdk } from "../../support/sdk";

let sdk: TestSdk;
let fake: FakeProvider;
beforeEach(async () => {
  sdk = await setupSdk();
  fake = await startFakeProvider({ responseModel: "claude-sonnet-4-5-20250929" });
});
afterEach(async () => {
  await fake.close();
  await sdk.close();
});

const anthropic = () => createAnthropic({ baseURL: fake.url + "/v1", apiKey: "x" });

// Anthropic's input_tokens excludes the cache: total input = 21 + 188 (write) + 1800 (read)
const USAGE = {
  "gen_ai.usage.input_tokens": 2009,
  "gen_ai.usage.output_tokens": 393,
  "gen_ai.usage.cache_read.input_tokens": 1800,
  "gen_ai.usage.cache_creation.input_tokens": 188,
};
// claude-sonnet-4.5: $3 / $15 per Mtok, cache read $0.30, cache write $3.75
const COST = { "fallom.cost.input_usd": 0.001308, "fallom.cost.output_usd": 0.005895, "fallom.cost.total_usd": 0.007203 };

function expectUsageAndCost(a: Record<string, unknown>): void {
  expect(a).toMatchObject(USAGE);
  expect(a).not.toHaveProperty("gen_ai.usage.reasoning.output_tokens");
  const input = a["gen_ai.usage.input_tokens"] as number;
  expect((a["gen_ai.usage.cache_read.input_tokens"] as number) + (a["gen_ai.usage.cache_creation.input_tokens"] as number)).toBeLessThanOrEqual(input);
  expect(input).toBe(ANTHROPIC_USAGE.input_tokens + ANTHROPIC_USAGE.cache_read_input_tokens + ANTHROPIC_USAGE.cache_creation_input_tokens);
  for (const [k, v] of Object.entries(COST)) expect(a[k]).toBeCloseTo(v, 12);
}

describe("@ai-sdk/anthropic messages API", () => {
  it("generateText (JSON): cache read/write inside input, provider and response model", async () => {
    const result = await generateText({ model: traceModel(anthropic()("claude-sonnet-4-5")), system: "Be brief.", prompt: "Hi", maxOutputTokens: 256 });
    expect(result.text).toBe(TEXT.join(""));
    const [span] = await sdk.flushSpans();
    expect(span!.name).toBe("chat claude-sonnet-4-5");
    expect(span!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "fallom.provider.raw": "anthropic.messages",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.response.model": "claude-sonnet-4-5-20250929",
      "gen_ai.response.id": "msg_fake1",
      "gen_ai.request.max_tokens": 256,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(JSON.parse(span!.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expectUsageAndCost(span!.attributes);
  });

  it("streamText (SSE): the same usage and cost as JSON, TTFT at the first text delta", async () => {
    fake.options.eventDelayMs = 5;
    const model = wrapLanguageModel({ model: anthropic()("claude-sonnet-4-5"), middleware: fallomMiddleware() });
    const result = streamText({ model, prompt: "Hi" });
    expect(await result.text).toBe(TEXT.join(""));
    const [span] = await sdk.flushSpans();
    expect(span!.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.response.id": "msg_fake1" });
    expectUsageAndCost(span!.attributes);
    const ttft = span!.attributes["gen_ai.response.time_to_first_chunk"] as number;
    const duration = Number(BigInt(span!.endTimeUnixNano) - BigInt(span!.startTimeUnixNano)) / 1e9;
    // message_start and ping come first: TTFT is past them but before the end
    expect(ttft).toBeGreaterThanOrEqual(0.01);
    expect(ttft).toBeLessThan(duration);
    expect(JSON.parse(span!.attributes["gen_ai.output.messages"] as string)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: TEXT.join("") }], finish_reason: "stop" },
    ]);
  });

  it("tool use over the wire: two steps, tool_use recorded, finish reason tool_call", async () => {
    fake.options.toolCalls = true;
    const weather = tool({ inputSchema: z.object({ city: z.string() }), execute: async () => "sunny" });
    const result = await generateText({ model: traceModel(anthropic()("claude-sonnet-4-5")), prompt: "Weather?", tools: { weather }, stopWhen: stepCountIs(3) });
    expect(result.steps).toHaveLength(2);
    const spans = (await sdk.flushSpans()).sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
    expect(spans.map((s) => s.attributes["gen_ai.response.finish_reasons"])).toEqual([["tool_call"], ["stop"]]);
    expect(spans[0]!.attributes["fallom.response.tool_calls"]).toEqual(["weather"]);
    expect(JSON.parse(spans[0]!.attributes["gen_ai.output.messages"] as string)[0].parts[0]).toEqual({
      type: "tool_call",
      id: "toolu_fake1",
      name: "weather",
      arguments: { city: "Paris" },
    });
  });

  it("an overloaded API (529) reaches the caller unchanged; span failed with the message", async () => {
    fake.options.failStatus = 529;
    const error = await generateText({ model: traceModel(anthropic()("claude-sonnet-4-5")), prompt: "Hi", maxRetries: 0 }).catch((e) => e);
    expect(error.message).toContain("Overloaded");
    const [span] = await sdk.flushSpans();
    expect(span!.status).toMatchObject({ code: 2, message: error.message });
    expect(span!.attributes).not.toHaveProperty("gen_ai.usage.input_tokens");
  });
});
