// wrapOpenAI with the real `openai` SDK against a local server speaking OpenAI's wire format (JSON and SSE):
// every API the wrapper traces, streams and their helpers, errors, cancel, double wrap, sessions, parents.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import fallom from "../../../src/index";
import { wrapOpenAI } from "../../../src/integrations/openai/index";
import { EMBEDDING_USAGE, TEXT, TOOL } from "../../support/fake-provider";
import { providerEnv } from "../../support/provider-env";
import { setupSdk } from "../../support/sdk";

const env = providerEnv();

const client = () => new OpenAI({ baseURL: env.fake.url + "/v1", apiKey: "x", maxRetries: 0 });
const session = () => fallom.session({ configKey: "app", sessionId: "s-1", customerId: "u-1" });
const ask = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Hi" }] };

// 2006 prompt tokens of which 1920 cached; 300 completion tokens of which 192 reasoning
const USAGE = {
  "gen_ai.usage.input_tokens": 2006,
  "gen_ai.usage.output_tokens": 300,
  "gen_ai.usage.cache_read.input_tokens": 1920,
  "gen_ai.usage.reasoning.output_tokens": 192,
};
const NO_USAGE = ["gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "fallom.cost.total_usd"];
// gpt-4o-mini: $0.15 / $0.60 per Mtok, cached input $0.075
const GPT_4O_MINI_TOTAL = 0.0003369;
const json = (v: unknown) => JSON.parse(v as string);

describe("chat.completions.create", () => {
  it("plain: the SDK's own result, one llm span with session, usage, cost and content", async () => {
    env.fake.options.responseModel = "gpt-4o-mini-2024-07-18";
    const openai = session().wrapOpenAI(client());
    const r = await openai.chat.completions.create({ ...ask, temperature: 0.2, max_tokens: 50, stop: "END" });
    expect(r.choices[0]!.message.content).toBe(TEXT.join(""));
    const [span] = await env.sdk.flushSpans();
    expect(span!.name).toBe("chat gpt-4o-mini");
    expect(span!.kind).toBe(3);
    expect(span!.attributes).toMatchObject({
      "fallom.span.type": "llm",
      "session.id": "s-1",
      "user.id": "u-1",
      "fallom.config_key": "app",
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.response.id": "chatcmpl-fake1",
      "gen_ai.request.stream": false,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 50,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.response.finish_reasons": ["stop"],
      ...USAGE,
    });
    expect(span!.attributes["fallom.cost.total_usd"]).toBeCloseTo(GPT_4O_MINI_TOTAL, 12);
    expect(json(span!.attributes["gen_ai.input.messages"])).toEqual([{ role: "user", parts: [{ type: "text", content: "Hi" }] }]);
    expect(json(span!.attributes["gen_ai.output.messages"])).toEqual([
      { role: "assistant", parts: [{ type: "text", content: TEXT.join("") }], finish_reason: "stop" },
    ]);
  });

  it("withResponse() and asResponse() of the SDK's APIPromise still work", async () => {
    const openai = wrapOpenAI(client());
    const { data, response } = await openai.chat.completions.create(ask).withResponse();
    expect(data.id).toBe("chatcmpl-fake1");
    expect(response.status).toBe(200);
    const raw = await openai.chat.completions.create(ask).asResponse();
    expect((await raw.json()).id).toBe("chatcmpl-fake1");
    await env.sdk.flushSpans();
    // the raw-response call is never parsed by the SDK: its span waits for the flush deadline, the other is sent
    expect(env.sdk.collector.allSpans().filter((s) => s.attributes["gen_ai.response.id"] === "chatcmpl-fake1")).toHaveLength(1);
  });

  it("a messages array the caller pushes to after the call is recorded as sent", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Hi" }];
    await wrapOpenAI(client()).chat.completions.create({ model: "gpt-4o-mini", messages });
    messages.push({ role: "assistant", content: "later" });
    const [span] = await env.sdk.flushSpans();
    expect(json(span!.attributes["gen_ai.input.messages"])).toHaveLength(1);
  });

  it("tool calls: names recorded, arguments in the output messages; system prompt as system instructions", async () => {
    env.fake.options.toolCalls = true;
    const tools = [{ type: "function" as const, function: { name: TOOL.name, description: "Weather", parameters: { type: "object" } } }];
    const messages = [{ role: "system" as const, content: "Be brief" }, ...ask.messages];
    await wrapOpenAI(client()).chat.completions.create({ ...ask, messages, tools });
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes["fallom.response.tool_calls"]).toEqual([TOOL.name]);
    expect(span!.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_calls"]);
    expect(json(span!.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief" }]);
    expect(json(span!.attributes["gen_ai.tool.definitions"])).toEqual([{ type: "function", name: TOOL.name, description: "Weather", parameters: { type: "object" } }]);
    expect(json(span!.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "tool_call", id: TOOL.id, name: TOOL.name, arguments: JSON.parse(TOOL.arguments) }]);
  });

  it("multimodal: an image URL is kept, a base64 image becomes a placeholder with type and size", async () => {
    const b64 = "iVBORw0KGgo" + "A".repeat(1001);
    await wrapOpenAI(client()).chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these?" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            { type: "image_url", image_url: { url: "data:image/png;base64," + b64 } },
          ],
        },
      ],
    });
    const [span] = await env.sdk.flushSpans();
    const parts = json(span!.attributes["gen_ai.input.messages"])[0].parts;
    expect(parts[1]).toEqual({ type: "uri", modality: "image", uri: "https://example.com/cat.png" });
    expect(parts[2]).toEqual({ type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 759 });
    expect(span!.attributes["gen_ai.input.messages"]).not.toContain("AAAA");
  });

  it("captureContent: false records no messages, still usage and cost", async () => {
    await env.sdk.close();
    env.sdk = await setupSdk({ captureContent: false });
    await wrapOpenAI(client()).chat.completions.create(ask);
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes).toMatchObject(USAGE);
    for (const k of ["gen_ai.input.messages", "gen_ai.output.messages"]) expect(span!.attributes).not.toHaveProperty(k);
  });
});

describe("streamed chat completions", () => {
  it("without include_usage: the request is sent unchanged and usage is absent, never 0; TTFT and text recorded", async () => {
    const stream = await wrapOpenAI(client()).chat.completions.create({ ...ask, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe(TEXT.join(""));
    expect(env.fake.requests[0]!.body.stream_options).toBeUndefined();
    const [span] = await env.sdk.flushSpans();
    for (const k of NO_USAGE) expect(span!.attributes).not.toHaveProperty(k);
    expect(span!.attributes["gen_ai.request.stream"]).toBe(true);
    expect(span!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(span!.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(json(span!.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "text", content: TEXT.join("") }]);
  });

  it("with the caller's include_usage, or the includeStreamUsage opt-in: the same usage and cost as plain", async () => {
    for (const [openai, body] of [
      [wrapOpenAI(client()), { ...ask, stream: true as const, stream_options: { include_usage: true } }],
      [wrapOpenAI(client(), { includeStreamUsage: true }), { ...ask, stream: true as const }],
    ] as const) {
      const stream = await openai.chat.completions.create(body);
      for await (const _ of stream);
    }
    expect(env.fake.requests.map((r) => r.body.stream_options)).toEqual([{ include_usage: true }, { include_usage: true }]);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes).toMatchObject(USAGE);
      expect(span.attributes["fallom.cost.total_usd"]).toBeCloseTo(GPT_4O_MINI_TOTAL, 12);
    }
  });

  it("streamed tool calls: name and the concatenated arguments", async () => {
    env.fake.options.toolCalls = true;
    const tools = [{ type: "function" as const, function: { name: TOOL.name, parameters: { type: "object" } } }];
    const stream = await wrapOpenAI(client()).chat.completions.create({ ...ask, tools, stream: true });
    for await (const _ of stream);
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes["fallom.response.tool_calls"]).toEqual([TOOL.name]);
    expect(json(span!.attributes["gen_ai.output.messages"])[0].parts).toEqual([
      { type: "text", content: "" },
      { type: "tool_call", id: TOOL.id, name: TOOL.name, arguments: JSON.parse(TOOL.arguments) },
    ]);
  });

  it("the Stream object keeps its helpers: controller, tee(), toReadableStream()", async () => {
    const openai = wrapOpenAI(client());
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    expect(stream.controller).toBeInstanceOf(AbortController);
    const [a, b] = stream.tee();
    const texts = await Promise.all(
      [a, b].map(async (s) => {
        let t = "";
        for await (const c of s) t += c.choices[0]?.delta?.content ?? "";
        return t;
      }),
    );
    expect(texts).toEqual([TEXT.join(""), TEXT.join("")]);
    const second = await openai.chat.completions.create({ ...ask, stream: true });
    const body = await new Response(second.toReadableStream()).text();
    expect(body.split("\n").filter(Boolean)).toHaveLength(TEXT.length + 2);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    for (const s of spans) expect(s.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
  });

  it("break out of the loop: the span ends once, cancelled, without usage; the request is aborted", async () => {
    env.fake.options.eventDelayMs = 20;
    const stream = await wrapOpenAI(client(), { includeStreamUsage: true }).chat.completions.create({ ...ask, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n == 2) break;
    expect(stream.controller.signal.aborted).toBe(true);
    await env.sdk.flushSpans();
    const all = env.sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: 2, message: "cancelled" });
    expect(all[0]!.attributes["fallom.stream.cancelled"]).toBe(true);
    for (const k of NO_USAGE) expect(all[0]!.attributes).not.toHaveProperty(k);
  });

  it("a stream cut mid-way: the caller gets the SDK's error, the span fails once", async () => {
    env.fake.options.cutAfterEvents = 2;
    env.fake.options.eventDelayMs = 10;
    const stream = await wrapOpenAI(client()).chat.completions.create({ ...ask, stream: true });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    await env.sdk.flushSpans();
    const all = env.sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status?.code).toBe(2);
    expect(all[0]!.attributes["error.type"]).toBeTypeOf("string");
  });

  it("a stream returned as a Response with waitUntil(fallom.flush()) is delivered whole and its span exported", async () => {
    const stream = await wrapOpenAI(client(), { includeStreamUsage: true }).chat.completions.create({ ...ask, stream: true });
    const response = new Response(stream.toReadableStream());
    const pending: Promise<unknown>[] = [];
    const waitUntil = (p: Promise<unknown>) => pending.push(p);
    waitUntil(fallom.flush());
    const body = await response.text();
    await Promise.all(pending);
    expect(body).toContain(TEXT[4]);
    const all = env.sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.attributes).toMatchObject(USAGE);
  });
});

describe("helpers go through the traced create(): one span each", () => {
  it("chat.completions.parse, chat.completions.stream (finalChatCompletion), responses.parse, responses.stream", async () => {
    const openai = wrapOpenAI(client(), { includeStreamUsage: true });
    const parsed = await openai.chat.completions.parse(ask);
    expect(parsed.choices[0]!.message.parsed).toBeNull();
    const runner = openai.chat.completions.stream(ask);
    const deltas: string[] = [];
    runner.on("content", (d) => deltas.push(d));
    expect((await runner.finalChatCompletion()).choices[0]!.message.content).toBe(TEXT.join(""));
    expect(deltas.join("")).toBe(TEXT.join(""));
    const rp = await openai.responses.parse({ model: "gpt-4o-mini", input: "Hi" });
    expect(rp.output_text).toBe(TEXT.join(""));
    const rs = openai.responses.stream({ model: "gpt-4o-mini", input: "Hi" });
    expect((await rs.finalResponse()).id).toBe("resp_fake1");
    const spans = await env.sdk.flushSpans();
    expect(spans.map((s) => [s.name, s.attributes["gen_ai.request.stream"]])).toEqual([
      ["chat gpt-4o-mini", false],
      ["chat gpt-4o-mini", true],
      ["chat gpt-4o-mini", false],
      ["chat gpt-4o-mini", true],
    ]);
    for (const s of spans) expect(s.attributes["gen_ai.usage.input_tokens"]).toBe(2006);
  });
});

describe("responses.create", () => {
  it("plain and streamed: id, usage (cached, reasoning), output text, TTFT on the stream", async () => {
    const openai = wrapOpenAI(client());
    const r = await openai.responses.create({ model: "gpt-4o-mini", instructions: "Be brief", input: "Hi" });
    expect(r.output_text).toBe(TEXT.join(""));
    const stream = await openai.responses.create({ model: "gpt-4o-mini", input: [{ role: "user", content: "Hi" }], stream: true });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe("response.completed");
    const [plain, streamed] = await env.sdk.flushSpans();
    for (const s of [plain!, streamed!]) {
      expect(s.attributes).toMatchObject({ "gen_ai.response.id": "resp_fake1", "gen_ai.response.finish_reasons": ["completed"], ...USAGE });
      expect(json(s.attributes["gen_ai.output.messages"])[0].parts.at(-1)).toEqual({ type: "text", content: TEXT.join("") });
    }
    expect(json(plain!.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief" }]);
    expect(streamed!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(plain!.attributes).not.toHaveProperty("gen_ai.response.time_to_first_chunk");
  });
  it("function_call items in the input: arguments recorded as JSON values, outputs as tool responses", async () => {
    const openai = wrapOpenAI(client());
    await openai.responses.create({
      model: "gpt-4o-mini",
      input: [
        { role: "user", content: "Weather?" },
        { type: "function_call", call_id: TOOL.id, name: TOOL.name, arguments: TOOL.arguments },
        { type: "function_call_output", call_id: TOOL.id, output: "sunny" },
      ],
    });
    const [span] = await env.sdk.flushSpans();
    expect(json(span!.attributes["gen_ai.input.messages"]).slice(1)).toEqual([
      { role: "assistant", parts: [{ type: "tool_call", id: TOOL.id, name: TOOL.name, arguments: JSON.parse(TOOL.arguments) }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: TOOL.id, response: "sunny" }] },
    ]);
  });
});

describe("embeddings and images", () => {
  it("embeddings.create: an embeddings span with input tokens; images.generate: a generate_content span with usage", async () => {
    const openai = wrapOpenAI(client());
    const e = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    expect(e.data).toHaveLength(2);
    const img = await openai.images.generate({ model: "gpt-image-1", prompt: "a cat" });
    expect(img.data![0]!.b64_json).toBeTypeOf("string");
    const [emb, image] = await env.sdk.flushSpans();
    expect(emb!.name).toBe("embeddings text-embedding-3-small");
    expect(emb!.attributes).toMatchObject({ "gen_ai.operation.name": "embeddings", "gen_ai.usage.input_tokens": EMBEDDING_USAGE.prompt_tokens });
    expect(emb!.attributes).not.toHaveProperty("gen_ai.usage.output_tokens");
    expect(image!.attributes).toMatchObject({ "gen_ai.operation.name": "generate_content", "gen_ai.output.type": "image", "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 1056 });
  });
});

describe("errors", () => {
  for (const status of [429, 500]) {
    it(`HTTP ${status}: the SDK's own error is rethrown unchanged; the span fails with error.type ${status}`, async () => {
      env.fake.options.failStatus = status;
      const plain = await client().chat.completions.create(ask).catch((e) => e);
      const wrapped = await wrapOpenAI(client()).chat.completions.create(ask).catch((e) => e);
      expect(wrapped.constructor).toBe(plain.constructor);
      expect(wrapped).toBeInstanceOf(OpenAI.APIError);
      expect([wrapped.status, wrapped.message]).toEqual([plain.status, plain.message]);
      const [span] = await env.sdk.flushSpans();
      expect(span!.status).toEqual({ code: 2, message: wrapped.message });
      expect(span!.attributes["error.type"]).toBe(String(status));
      expect(span!.events[0]!.name).toBe("exception");
    });
  }
});

describe("wrapping", () => {
  it("never modifies the client; wrapping twice, or once per request, records one span per call", async () => {
    const raw = client();
    const keys = Object.keys(raw);
    const create = raw.chat.completions.create;
    const twice = wrapOpenAI(wrapOpenAI(raw));
    await twice.chat.completions.create(ask);
    for (let i = 0; i < 3; i++) await session().wrapOpenAI(raw).chat.completions.create(ask);
    await raw.chat.completions.create(ask);
    expect(Object.keys(raw)).toEqual(keys);
    expect(raw.chat.completions.create).toBe(create);
    expect(twice).toBeInstanceOf(OpenAI);
    expect(twice.chat.completions).toBe(twice.chat.completions);
    expect(await env.sdk.flushSpans()).toHaveLength(4);
  });

  it("concurrent sessions sharing one client keep their own attributes", async () => {
    const raw = client();
    env.fake.options.eventDelayMs = 5;
    await Promise.all(
      ["a", "b", "c"].map(async (id) => {
        const openai = fallom.session({ sessionId: id, customerId: "user-" + id }).wrapOpenAI(raw);
        const stream = await openai.chat.completions.create({ ...ask, stream: true });
        for await (const _ of stream);
        await openai.chat.completions.create(ask);
      }),
    );
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(6);
    for (const s of spans) expect(s.attributes["user.id"]).toBe("user-" + s.attributes["session.id"]);
  });

  it("explicit parent: a span, or a function read per call", async () => {
    const s = session();
    const parent = s.startSpan("request");
    await s.wrapOpenAI(client(), { parent }).chat.completions.create(ask);
    await s.wrapOpenAI(client(), { parent: () => parent }).chat.completions.create(ask);
    parent.end();
    const spans = await env.sdk.flushSpans();
    const llm = spans.filter((x) => x.name.startsWith("chat"));
    expect(llm.map((x) => [x.traceId, x.parentSpanId])).toEqual([
      [parent.traceId, parent.spanId],
      [parent.traceId, parent.spanId],
    ]);
  });
});

describe("OpenAI-compatible APIs", () => {
  // the client talks to its real base URL's host through a fetch that reroutes it to the local server
  const via = (baseURL: string) =>
    new OpenAI({ baseURL, apiKey: "x", maxRetries: 0, fetch: (url, init) => fetch(String(url).replace(new URL(baseURL).origin, env.fake.url).replace("/api/v1", "/v1"), init) });

  it("OpenRouter: provider from the base URL, openai/gpt-4o-mini priced as gpt-4o-mini", async () => {
    const openrouter = session().wrapOpenAI(via("https://openrouter.ai/api/v1"));
    await openrouter.chat.completions.create({ ...ask, model: "openai/gpt-4o-mini" });
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes).toMatchObject({ "gen_ai.provider.name": "openrouter", "gen_ai.request.model": "openai/gpt-4o-mini", ...USAGE });
    expect(span!.attributes["fallom.cost.total_usd"]).toBeCloseTo(GPT_4O_MINI_TOTAL, 12);
  });

  it("other hosts: groq, x.ai, Ollama's port, a local vLLM", async () => {
    const { providerFromUrl } = await import("../../../src/integrations/common/provider-name");
    expect(
      ["https://api.groq.com/openai/v1", "https://api.x.ai/v1", "http://localhost:11434/v1", "http://127.0.0.1:8000/v1", "https://my-res.openai.azure.com/openai"].map((u) =>
        providerFromUrl(u, "openai"),
      ),
    ).toEqual(["groq", "x_ai", "ollama", "openai", "azure.ai.openai"]);
  });
});
