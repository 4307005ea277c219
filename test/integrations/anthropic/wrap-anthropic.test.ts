// wrapAnthropic with the real `@anthropic-ai/sdk` against a local server speaking the Messages API (JSON and SSE):
// usage with cache reads/writes and thinking, tool_use and thinking blocks, stream helpers, errors, cancel, wrapping.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import fallom from "../../../src/index";
import { wrapAnthropic } from "../../../src/integrations/anthropic/index";
import { ANTHROPIC_THINKING, ANTHROPIC_USAGE, TEXT, TOOL } from "../../support/fake-provider";
import { providerEnv } from "../../support/provider-env";

const env = providerEnv();

const client = () => new Anthropic({ baseURL: env.fake.url, apiKey: "x", maxRetries: 0 });
const session = () => fallom.session({ configKey: "app", sessionId: "s-1", customerId: "u-1" });
const MODEL = "claude-sonnet-4-20250514";
const ask = { model: MODEL, max_tokens: 1024, messages: [{ role: "user" as const, content: "Hi" }] };
const json = (v: unknown) => JSON.parse(v as string);

// input_tokens 21 leaves out 1800 cache reads and 188 cache writes: total input 2009
const USAGE = {
  "gen_ai.usage.input_tokens": 21 + 1800 + 188,
  "gen_ai.usage.output_tokens": ANTHROPIC_USAGE.output_tokens,
  "gen_ai.usage.cache_read.input_tokens": 1800,
  "gen_ai.usage.cache_creation.input_tokens": 188,
};
// claude-sonnet-4: $3 in, $15 out, $0.30 cache read, $3.75 cache write per Mtok
const COST = (21 * 3 + 1800 * 0.3 + 188 * 3.75 + 393 * 15) / 1e6;

describe("messages.create", () => {
  it("plain: the SDK's message, one llm span with usage incl. cache reads/writes, cost and content", async () => {
    const anthropic = session().wrapAnthropic(client());
    const m = await anthropic.messages.create({ ...ask, system: "Be brief", temperature: 0.5, top_k: 5 });
    expect(m.content[0]).toEqual({ type: "text", text: TEXT.join("") });
    const [span] = await env.sdk.flushSpans();
    expect(span!.name).toBe("chat " + MODEL);
    expect(span!.attributes).toMatchObject({
      "session.id": "s-1",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": MODEL,
      "gen_ai.response.model": MODEL,
      "gen_ai.response.id": "msg_fake1",
      "gen_ai.request.max_tokens": 1024,
      "gen_ai.request.temperature": 0.5,
      "gen_ai.request.top_k": 5,
      "gen_ai.response.finish_reasons": ["end_turn"],
      ...USAGE,
    });
    expect(span!.attributes["fallom.cost.total_usd"]).toBeCloseTo(COST, 12);
    expect(json(span!.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief" }]);
    expect(json(span!.attributes["gen_ai.output.messages"])).toEqual([
      { role: "assistant", parts: [{ type: "text", content: TEXT.join("") }], finish_reason: "end_turn" },
    ]);
  });

  it("the provider is anthropic for Anthropic's own host", async () => {
    const real = new Anthropic({ apiKey: "x", maxRetries: 0, fetch: (url, init) => fetch(String(url).replace("https://api.anthropic.com", env.fake.url), init) });
    await wrapAnthropic(real).messages.create(ask);
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes["gen_ai.provider.name"]).toBe("anthropic");
  });

  it("thinking and tool_use blocks in the output; thinking tokens as reasoning", async () => {
    env.fake.options.toolCalls = true;
    const tools = [{ name: TOOL.name, description: "Weather", input_schema: { type: "object" as const } }];
    await wrapAnthropic(client()).messages.create({ ...ask, tools, thinking: { type: "enabled", budget_tokens: 1024 } });
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes).toMatchObject({ "fallom.response.tool_calls": [TOOL.name], "gen_ai.response.finish_reasons": ["tool_use"], "gen_ai.usage.reasoning.output_tokens": 120 });
    expect(json(span!.attributes["gen_ai.output.messages"])[0].parts).toEqual([
      { type: "reasoning", content: ANTHROPIC_THINKING.thinking },
      { type: "tool_call", id: "toolu_fake1", name: TOOL.name, arguments: JSON.parse(TOOL.arguments) },
    ]);
    expect(json(span!.attributes["gen_ai.tool.definitions"])).toEqual([{ type: "function", name: TOOL.name, description: "Weather", parameters: { type: "object" } }]);
  });

  it("multimodal: a URL image is kept, a base64 image and a PDF become placeholders", async () => {
    await wrapAnthropic(client()).messages.create({
      ...ask,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" } },
            { type: "text", text: "Describe" },
          ],
        },
      ],
    });
    const [span] = await env.sdk.flushSpans();
    expect(json(span!.attributes["gen_ai.input.messages"])[0].parts).toEqual([
      { type: "uri", modality: "image", uri: "https://example.com/cat.png" },
      { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 8 },
      { type: "blob_omitted", modality: "application", mime_type: "application/pdf", byte_length: 9 },
      { type: "text", content: "Describe" },
    ]);
  });
});

describe("streams", () => {
  it("create({ stream: true }): the same usage as plain, TTFT, text; the Stream keeps controller and toReadableStream", async () => {
    const anthropic = wrapAnthropic(client());
    const stream = await anthropic.messages.create({ ...ask, stream: true });
    expect(stream.controller).toBeInstanceOf(AbortController);
    let text = "";
    for await (const e of stream) if (e.type == "content_block_delta" && e.delta.type == "text_delta") text += e.delta.text;
    expect(text).toBe(TEXT.join(""));
    const second = await anthropic.messages.create({ ...ask, stream: true });
    expect(await new Response(second.toReadableStream()).text()).toContain("message_stop");
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.response.id": "msg_fake1", "gen_ai.response.finish_reasons": ["end_turn"], ...USAGE });
      expect(span.attributes["fallom.cost.total_usd"]).toBeCloseTo(COST, 12);
      expect(span.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    }
    expect(json(spans[0]!.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "text", content: TEXT.join("") }]);
  });

  it("messages.stream(): event helpers and finalMessage() work; one span with thinking, tool input and usage", async () => {
    env.fake.options.toolCalls = true;
    const tools = [{ name: TOOL.name, input_schema: { type: "object" as const } }];
    const stream = wrapAnthropic(client()).messages.stream({ ...ask, tools, thinking: { type: "enabled", budget_tokens: 1024 } });
    const thinking: string[] = [];
    stream.on("thinking", (d) => thinking.push(d));
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
    expect(thinking.join("")).toBe(ANTHROPIC_THINKING.thinking);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes).toMatchObject({ "gen_ai.usage.reasoning.output_tokens": 120, "fallom.response.tool_calls": [TOOL.name], ...USAGE });
    expect(json(spans[0]!.attributes["gen_ai.output.messages"])[0].parts).toEqual([
      { type: "reasoning", content: ANTHROPIC_THINKING.thinking },
      { type: "tool_call", id: "toolu_fake1", name: TOOL.name, arguments: JSON.parse(TOOL.arguments) },
    ]);
  });

  it("messages.parse(): one span", async () => {
    const m = await wrapAnthropic(client()).messages.parse(ask);
    expect(m.content[0]!.type).toBe("text");
    expect(await env.sdk.flushSpans()).toHaveLength(1);
  });

  it("break out of the loop: the span ends once, cancelled, without output usage", async () => {
    env.fake.options.eventDelayMs = 20;
    const stream = await wrapAnthropic(client()).messages.create({ ...ask, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n == 3) break;
    await env.sdk.flushSpans();
    const all = env.sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: 2, message: "cancelled" });
    expect(all[0]!.attributes).not.toHaveProperty("gen_ai.usage.output_tokens");
  });

  it("a stream returned as a Response with waitUntil(fallom.flush()) is delivered whole and its span exported", async () => {
    const stream = await session().wrapAnthropic(client()).messages.create({ ...ask, stream: true });
    const response = new Response(stream.toReadableStream());
    const flushed = fallom.flush();
    expect(await response.text()).toContain("message_stop");
    await flushed;
    const all = env.sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.attributes).toMatchObject(USAGE);
  });
});

describe("errors and wrapping", () => {
  for (const status of [429, 500]) {
    it(`HTTP ${status}: the SDK's own error is rethrown; the span fails with error.type ${status}`, async () => {
      env.fake.options.failStatus = status;
      const plain = await client().messages.create(ask).catch((e) => e);
      const wrapped = await wrapAnthropic(client()).messages.create(ask).catch((e) => e);
      expect(wrapped.constructor).toBe(plain.constructor);
      expect(wrapped).toBeInstanceOf(Anthropic.APIError);
      expect(wrapped.status).toBe(status);
      const [span] = await env.sdk.flushSpans();
      expect(span!.status?.code).toBe(2);
      expect(span!.attributes["error.type"]).toBe(String(status));
    });
  }

  it("never modifies the client; wrapping twice or per request records one span per call; sessions stay apart", async () => {
    const raw = client();
    const keys = Object.keys(raw);
    await wrapAnthropic(wrapAnthropic(raw)).messages.create(ask);
    await Promise.all(
      ["a", "b"].map(async (id) => {
        const anthropic = fallom.session({ sessionId: id, customerId: "user-" + id }).wrapAnthropic(raw);
        await anthropic.messages.stream(ask).finalMessage();
        await anthropic.messages.create(ask);
      }),
    );
    await raw.messages.create(ask);
    expect(Object.keys(raw)).toEqual(keys);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(5);
    for (const s of spans.filter((x) => x.attributes["session.id"])) expect(s.attributes["user.id"]).toBe("user-" + s.attributes["session.id"]);
  });

  it("explicit parent", async () => {
    const s = session();
    const parent = s.startSpan("request");
    await s.wrapAnthropic(client(), { parent }).messages.create(ask);
    parent.end();
    const llm = (await env.sdk.flushSpans()).find((x) => x.name.startsWith("chat"));
    expect([llm!.traceId, llm!.parentSpanId]).toEqual([parent.traceId, parent.spanId]);
  });
});
