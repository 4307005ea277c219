// wrapGoogleAI with the real @google/genai client and @google/generative-ai model against a local server speaking
// Gemini's generateContent / streamGenerateContent (JSON and SSE): usage with cached and thoughts tokens, chats,
// streams, errors, break, wrapping.
import { GoogleGenAI } from "@google/genai";
import { GoogleGenerativeAI } from "@google/generative-ai";
import { describe, expect, it } from "vitest";
import fallom from "../../../src/index";
import { wrapGoogleAI } from "../../../src/integrations/google/index";
import { startFakeProvider, TEXT, TOOL } from "../../support/fake-provider";
import { providerEnv } from "../../support/provider-env";

const env = providerEnv();

const MODEL = "gemini-2.5-flash";
const genai = () => new GoogleGenAI({ apiKey: "x", httpOptions: { baseUrl: env.fake.url, retryOptions: { attempts: 1 } } as any });
const legacy = () => new GoogleGenerativeAI("x").getGenerativeModel({ model: MODEL, systemInstruction: "Be brief" }, { baseUrl: env.fake.url });
const session = () => fallom.session({ configKey: "app", sessionId: "s-1", customerId: "u-1" });
const json = (v: unknown) => JSON.parse(v as string);

// 2006 prompt tokens (1920 cached); 108 candidates + 192 thoughts = 300 output tokens
const USAGE = {
  "gen_ai.usage.input_tokens": 2006,
  "gen_ai.usage.output_tokens": 300,
  "gen_ai.usage.cache_read.input_tokens": 1920,
  "gen_ai.usage.reasoning.output_tokens": 192,
};
// gemini-2.5-flash: $0.30 in, $2.50 out, $0.03 cached per Mtok
const COST = (86 * 0.3 + 1920 * 0.03 + 300 * 2.5) / 1e6;

describe("@google/genai client", () => {
  it("models.generateContent: the SDK's response, one llm span with usage, cost, config and content", async () => {
    const ai = session().wrapGoogleAI(genai());
    const r = await ai.models.generateContent({ model: MODEL, contents: "Hi", config: { temperature: 0.3, maxOutputTokens: 64, systemInstruction: "Be brief" } });
    expect(r.text).toBe(TEXT.join(""));
    const [span] = await env.sdk.flushSpans();
    expect(span!.name).toBe("chat " + MODEL);
    expect(span!.attributes).toMatchObject({
      "session.id": "s-1",
      "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.model": MODEL,
      "gen_ai.response.model": MODEL,
      "gen_ai.response.id": "resp-gemini1",
      "gen_ai.request.stream": false,
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.response.finish_reasons": ["STOP"],
      ...USAGE,
    });
    expect(span!.attributes["fallom.cost.total_usd"]).toBeCloseTo(COST, 12);
    expect(json(span!.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief" }]);
    expect(json(span!.attributes["gen_ai.input.messages"])).toEqual([{ role: "user", parts: [{ type: "text", content: "Hi" }] }]);
    expect(json(span!.attributes["gen_ai.output.messages"])).toEqual([{ role: "assistant", parts: [{ type: "text", content: TEXT.join("") }], finish_reason: "STOP" }]);
  });

  it("models.generateContentStream: chunks unchanged, TTFT, the same usage; break ends the span once, cancelled", async () => {
    const ai = wrapGoogleAI(genai());
    let text = "";
    for await (const c of await ai.models.generateContentStream({ model: MODEL, contents: "Hi" })) text += c.text;
    expect(text).toBe(TEXT.join(""));
    env.fake.options.eventDelayMs = 20;
    for await (const _ of await ai.models.generateContentStream({ model: MODEL, contents: "Hi" })) break;
    await env.sdk.flushSpans();
    const [done, broken] = env.sdk.collector.allSpans();
    expect(done!.attributes).toMatchObject({ "gen_ai.request.stream": true, ...USAGE });
    expect(done!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(json(done!.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "text", content: TEXT.join("") }]);
    expect(broken!.status).toEqual({ code: 2, message: "cancelled" });
    expect(broken!.attributes).not.toHaveProperty("gen_ai.usage.input_tokens");
  });

  it("chats: sendMessage and sendMessageStream each one span, with the history as input", async () => {
    const chat = wrapGoogleAI(genai()).chats.create({ model: MODEL });
    await chat.sendMessage({ message: "Hi" });
    for await (const _ of await chat.sendMessageStream({ message: "Again" }));
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    expect(json(spans[1]!.attributes["gen_ai.input.messages"]).map((m: any) => m.role)).toEqual(["user", "assistant", "user"]);
    for (const s of spans) expect(s.attributes).toMatchObject(USAGE);
  });

  it("tool calls and multimodal input: function call recorded, inline data as a placeholder, file URIs kept", async () => {
    env.fake.options.toolCalls = true;
    const ai = wrapGoogleAI(genai());
    await ai.models.generateContent({
      model: MODEL,
      contents: [
        {
          role: "user",
          parts: [{ text: "Weather?" }, { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { fileData: { mimeType: "application/pdf", fileUri: "gs://b/doc.pdf" } }],
        },
      ],
      config: { tools: [{ functionDeclarations: [{ name: TOOL.name, description: "Weather" }] }] },
    });
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes["fallom.response.tool_calls"]).toEqual([TOOL.name]);
    expect(json(span!.attributes["gen_ai.input.messages"])[0].parts).toEqual([
      { type: "text", content: "Weather?" },
      { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 8 },
      { type: "uri", modality: "application", mime_type: "application/pdf", uri: "gs://b/doc.pdf" },
    ]);
    expect(json(span!.attributes["gen_ai.tool.definitions"])).toEqual([{ type: "function", name: TOOL.name, description: "Weather" }]);
  });

  for (const status of [429, 500]) {
    it(`HTTP ${status}: the SDK's error is rethrown; the span fails with error.type ${status}`, async () => {
      env.fake.options.failStatus = status;
      const plain = await genai().models.generateContent({ model: MODEL, contents: "Hi" }).catch((e) => e);
      const wrapped = await wrapGoogleAI(genai()).models.generateContent({ model: MODEL, contents: "Hi" }).catch((e) => e);
      expect(wrapped.constructor).toBe(plain.constructor);
      expect([wrapped.status, wrapped.message]).toEqual([plain.status, plain.message]);
      const [span] = await env.sdk.flushSpans();
      expect(span!.status?.code).toBe(2);
      expect(span!.attributes["error.type"]).toBe(String(status));
    });
  }

  it("never modifies the client; double wrap and per-request wraps record one span per call; sessions apart", async () => {
    const raw = genai();
    const generate = raw.models.generateContent;
    await wrapGoogleAI(wrapGoogleAI(raw)).models.generateContent({ model: MODEL, contents: "Hi" });
    await Promise.all(
      ["a", "b"].map(async (id) => {
        const ai = fallom.session({ sessionId: id, customerId: "user-" + id }).wrapGoogleAI(raw);
        for await (const _ of await ai.models.generateContentStream({ model: MODEL, contents: "Hi" }));
      }),
    );
    await raw.models.generateContent({ model: MODEL, contents: "Hi" });
    expect(raw.models.generateContent).toBe(generate);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(3);
    for (const s of spans.filter((x) => x.attributes["session.id"])) expect(s.attributes["user.id"]).toBe("user-" + s.attributes["session.id"]);
  });

  it("a stream returned as a Response with waitUntil(fallom.flush()) is delivered and its span exported", async () => {
    const chunks = await session().wrapGoogleAI(genai()).models.generateContentStream({ model: MODEL, contents: "Hi" });
    const body = new ReadableStream({
      async pull(c) {
        const { done, value } = await chunks.next();
        if (done) c.close();
        else c.enqueue(new TextEncoder().encode(value.text));
      },
    });
    const flushed = fallom.flush();
    expect(await new Response(body).text()).toBe(TEXT.join(""));
    await flushed;
    expect(env.sdk.collector.allSpans()[0]!.attributes).toMatchObject(USAGE);
  });
});

describe("@google/generative-ai GenerativeModel (the Fallom docs' wrapGoogleAI(model))", () => {
  it("generateContent and generateContentStream (stream and response): one span each, same usage", async () => {
    const model = session().wrapGoogleAI(legacy());
    const r = await model.generateContent("Hi");
    expect(r.response.text()).toBe(TEXT.join(""));
    const s = await model.generateContentStream("Hi");
    let text = "";
    for await (const c of s.stream) text += c.text();
    expect(text).toBe(TEXT.join(""));
    expect((await s.response).text()).toBe(TEXT.join(""));
    const [plain, streamed] = await env.sdk.flushSpans();
    for (const span of [plain!, streamed!]) {
      expect(span.attributes).toMatchObject({ "gen_ai.request.model": MODEL, "gen_ai.provider.name": "gcp.gemini", ...USAGE });
      expect(json(span.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief" }]);
    }
    expect(streamed!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("startChat().sendMessage / sendMessageStream: one span each", async () => {
    const chat = wrapGoogleAI(legacy()).startChat();
    await chat.sendMessage("Hi");
    const s = await chat.sendMessageStream("Again");
    await s.response;
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    expect(json(spans[1]!.attributes["gen_ai.input.messages"]).map((m: any) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  it("HTTP 429: the SDK's error is rethrown, the span fails with error.type 429", async () => {
    env.fake.options.failStatus = 429;
    const e = await wrapGoogleAI(legacy()).generateContent("Hi").catch((x) => x);
    expect(e.status).toBe(429);
    const [span] = await env.sdk.flushSpans();
    expect(span!.attributes["error.type"]).toBe("429");
  });
});
