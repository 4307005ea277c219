// init's uploadAttachment: inline media of captured prompts goes to the app's uploader and is recorded as a `uri`
// part with the URL it returns — through a real `ai` call (traceModel, generate and stream) and the real provider SDKs
// (openai, @anthropic-ai/sdk, @google/genai) against a local fake server. A failing uploader leaves the placeholder.
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Attachment, InitOptions } from "../../src/core/options";
import { traceModel } from "../../src/integrations/ai-sdk/index";
import { fallomTelemetry } from "../../src/integrations/ai-sdk/telemetry";
import { wrapAnthropic } from "../../src/integrations/anthropic/index";
import { wrapGoogleAI } from "../../src/integrations/google/index";
import { wrapOpenAI } from "../../src/integrations/openai/index";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { setupSdk, type TestSdk } from "../support/sdk";

const json = (v: unknown) => JSON.parse(v as string);
const PNG = new Uint8Array(3000).map((_, i) => i % 251);
const PNG_BASE64 = Buffer.from(PNG).toString("base64");
const URL_OF = (a: Attachment) => `https://files.example.com/${a.mediaType}/${a.byteLength}`;

let sdk: TestSdk;
let fake: FakeProvider;
let got: Attachment[];
let errors: unknown[];

// a fresh SDK with `uploadAttachment`; onError collects what it reports
async function init(uploadAttachment?: InitOptions["uploadAttachment"]): Promise<void> {
  await sdk?.close();
  sdk = await setupSdk({ uploadAttachment, onError: (e) => errors.push(e) });
}

// an uploader slower than the call: the flush still waits for it before sending the span
const recording = async (a: Attachment): Promise<string> => {
  got.push(a);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return URL_OF(a);
};

beforeEach(async () => {
  got = [];
  errors = [];
  await init(recording);
  fake = await startFakeProvider();
});
afterEach(async () => {
  await fake.close();
  await sdk.close();
});

const inputParts = async (): Promise<any[]> => {
  const spans = await sdk.flushSpans();
  const llm = spans.find((s) => s.attributes["gen_ai.input.messages"])!;
  return json(llm.attributes["gen_ai.input.messages"])[0].parts;
};

function mockModel(): any {
  const usage = { inputTokens: { total: 1 }, outputTokens: { total: 1 } };
  return {
    specificationVersion: "v3",
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    supportedUrls: {},
    doGenerate: async () => ({ content: [{ type: "text", text: "a cat" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(c) {
          c.enqueue({ type: "text-start", id: "t" });
          c.enqueue({ type: "text-delta", id: "t", delta: "a cat" });
          c.enqueue({ type: "text-end", id: "t" });
          c.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
          c.close();
        },
      }),
    }),
  };
}

const filePrompt = (data: Uint8Array | string) => [
  { role: "user" as const, content: [{ type: "text" as const, text: "What is this?" }, { type: "file" as const, mediaType: "image/png", data }] },
];

describe("AI SDK (traceModel)", () => {
  it("generateText: a file part's bytes go to the uploader, the span has a uri part with its URL", async () => {
    const r = await generateText({ model: traceModel(mockModel()), messages: filePrompt(PNG) });
    expect(r.text).toBe("a cat");
    const parts = await inputParts();
    expect(parts[1]).toEqual({ type: "uri", modality: "image", mime_type: "image/png", uri: "https://files.example.com/image/png/3000" });
    expect(got).toHaveLength(1);
    expect(got[0]!.mediaType).toBe("image/png");
    expect(got[0]!.byteLength).toBe(3000);
    expect(Array.from(got[0]!.data)).toEqual(Array.from(PNG));
    expect(errors).toEqual([]);
  });

  it("streamText with base64 file data: decoded bytes uploaded, uri part recorded", async () => {
    const r = streamText({ model: traceModel(mockModel()), messages: filePrompt(PNG_BASE64) });
    expect(await r.text).toBe("a cat");
    const parts = await inputParts();
    expect(parts[1]).toMatchObject({ type: "uri", uri: "https://files.example.com/image/png/3000" });
    expect(Array.from(got[0]!.data)).toEqual(Array.from(PNG));
  });

  it("ai's telemetry integration (fallomTelemetry): the llm span's file part is uploaded too", async () => {
    await generateText({ model: mockModel(), messages: filePrompt(PNG), telemetry: { integrations: [fallomTelemetry()] } } as any);
    expect((await inputParts())[1]).toMatchObject({ type: "uri", uri: "https://files.example.com/image/png/3000" });
    expect(Array.from(got[0]!.data)).toEqual(Array.from(PNG));
  });

  it("a throwing uploader: the placeholder, the error goes to onError, the app's call is unaffected", async () => {
    const boom = new Error("bucket unavailable");
    await init(() => {
      throw boom;
    });
    const r = await generateText({ model: traceModel(mockModel()), messages: filePrompt(PNG) });
    expect(r.text).toBe("a cat");
    expect((await inputParts())[1]).toEqual({ type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 3000 });
    expect(errors).toContain(boom);
  });

  it("an uploader that never settles: the flush sends the placeholder at its deadline", async () => {
    await sdk.close();
    sdk = await setupSdk({ flushTimeoutMs: 300, uploadAttachment: () => new Promise<string>(() => {}) });
    await generateText({ model: traceModel(mockModel()), messages: filePrompt(PNG) });
    expect((await inputParts())[1]).toMatchObject({ type: "blob_omitted", byte_length: 3000 });
  });

  it("no URL returned (undefined): the placeholder, nothing reported", async () => {
    await init(() => undefined);
    await generateText({ model: traceModel(mockModel()), messages: filePrompt(PNG) });
    expect((await inputParts())[1]).toMatchObject({ type: "blob_omitted", byte_length: 3000 });
    expect(errors).toEqual([]);
  });

  it("captureContent: false: the uploader is never called", async () => {
    await sdk.close();
    sdk = await setupSdk({ captureContent: false, uploadAttachment: recording });
    await generateText({ model: traceModel(mockModel()), messages: filePrompt(PNG) });
    const [span] = await sdk.flushSpans();
    expect(span!.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(got).toEqual([]);
  });
});

describe("provider wrappers", () => {
  const b64 = Buffer.from(PNG.subarray(0, 759)).toString("base64");

  it("openai: a data-URL image_url is uploaded (decoded bytes, its media type); the URL image is kept as it is", async () => {
    const openai = wrapOpenAI(new OpenAI({ baseURL: fake.url + "/v1", apiKey: "x", maxRetries: 0 }));
    const r = await openai.chat.completions.create({
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
    expect(r.id).toBe("chatcmpl-fake1");
    const parts = await inputParts();
    expect(parts[1]).toEqual({ type: "uri", modality: "image", uri: "https://example.com/cat.png" });
    expect(parts[2]).toEqual({ type: "uri", modality: "image", mime_type: "image/png", uri: "https://files.example.com/image/png/759" });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ mediaType: "image/png", byteLength: 759 });
    expect(Array.from(got[0]!.data)).toEqual(Array.from(PNG.subarray(0, 759)));
  });

  it("openai: a rejecting uploader leaves the placeholder and reports to onError", async () => {
    await init(async () => {
      throw new Error("upload failed");
    });
    const openai = wrapOpenAI(new OpenAI({ baseURL: fake.url + "/v1", apiKey: "x", maxRetries: 0 }));
    await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64," + b64 } }] }],
    });
    expect((await inputParts())[0]).toEqual({ type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 759 });
    expect(errors.map(String)).toContain("Error: upload failed");
  });

  it("anthropic: base64 image and document sources are uploaded", async () => {
    const anthropic = wrapAnthropic(new Anthropic({ baseURL: fake.url, apiKey: "x", maxRetries: 0 }));
    await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: b64 } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" } },
          ],
        },
      ],
    });
    const parts = await inputParts();
    expect(parts[0]).toMatchObject({ type: "uri", mime_type: "image/png", uri: "https://files.example.com/image/png/759" });
    expect(parts[1]).toMatchObject({ type: "uri", mime_type: "application/pdf", uri: "https://files.example.com/application/pdf/9" });
    expect(new TextDecoder().decode(got.find((a) => a.mediaType == "application/pdf")!.data)).toBe("%PDF-1.4\n");
  });

  it("google: inlineData is uploaded, fileData links kept", async () => {
    const ai = wrapGoogleAI(new GoogleGenAI({ apiKey: "x", httpOptions: { baseUrl: fake.url, retryOptions: { attempts: 1 } } as any }));
    await ai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: [
        {
          role: "user",
          parts: [{ inlineData: { mimeType: "image/png", data: b64 } }, { fileData: { mimeType: "application/pdf", fileUri: "gs://b/doc.pdf" } }],
        },
      ],
    });
    const parts = await inputParts();
    expect(parts[0]).toMatchObject({ type: "uri", mime_type: "image/png", uri: "https://files.example.com/image/png/759" });
    expect(parts[1]).toMatchObject({ type: "uri", uri: "gs://b/doc.pdf" });
    expect(got).toHaveLength(1);
  });
});
