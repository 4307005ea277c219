// Prompts and content of every spec version as OpenTelemetry GenAI messages; binary data never inlined.
import { generateText } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { traceModel } from "../../../src/integrations/ai-sdk/index";
import { setupSdk, type TestSdk } from "../../support/sdk";

let sdk: TestSdk;
beforeEach(async () => {
  sdk = await setupSdk();
});
afterEach(() => sdk.close());

const json = (v: unknown) => JSON.parse(v as string);
const PNG = new Uint8Array(3000).fill(7);
const PNG_BASE64 = Buffer.from(PNG).toString("base64");

function model(content: any[] = [{ type: "text", text: "ok" }], spec = "v4"): any {
  return {
    specificationVersion: spec,
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    supportedUrls: {},
    doGenerate: async () => ({ content, finishReason: { unified: "stop", raw: "stop" }, usage: { inputTokens: {}, outputTokens: {} }, warnings: [] }),
    doStream: async () => {
      throw new Error("unused");
    },
  };
}

async function spanOf(prompt: any[], extra: any = {}, content?: any[]): Promise<Record<string, unknown>> {
  await traceModel(model(content)).doGenerate({ prompt, ...extra });
  const [span] = await sdk.flushSpans();
  return span!.attributes;
}

describe("input messages (v4 prompt)", () => {
  it("system, user text and files, assistant reasoning and tool calls, tool results of every output type", async () => {
    const a = await spanOf([
      { role: "system", content: "You are terse." },
      { role: "system", content: "Answer in French." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is on these?" },
          { type: "file", mediaType: "image/png", data: { type: "data", data: PNG } },
          { type: "file", mediaType: "image/jpeg", data: { type: "url", url: new URL("https://cdn.example.com/cat.jpg") } },
          { type: "file", mediaType: "application/pdf", data: { type: "reference", reference: { openai: "file-abc123" } } },
          { type: "file", mediaType: "text/plain", data: { type: "text", text: "inline document" } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Let me look it up." },
          { type: "text", text: "Checking." },
          { type: "tool-call", toolCallId: "c1", toolName: "search", input: { q: "cat" } },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "c1", toolName: "search", output: { type: "json", value: { hits: 3 } } },
          { type: "tool-result", toolCallId: "c2", toolName: "read", output: { type: "text", value: "plain text" } },
          { type: "tool-result", toolCallId: "c3", toolName: "fail", output: { type: "error-text", value: "timeout" } },
          {
            type: "tool-result",
            toolCallId: "c4",
            toolName: "screenshot",
            output: { type: "content", value: [{ type: "text", text: "see image" }, { type: "file", mediaType: "image/png", data: { type: "data", data: PNG_BASE64 } }] },
          },
          { type: "tool-approval-response", approvalId: "a1", approved: true },
        ],
      },
    ]);
    expect(json(a["gen_ai.system_instructions"])).toEqual([
      { type: "text", content: "You are terse." },
      { type: "text", content: "Answer in French." },
    ]);
    expect(json(a["gen_ai.input.messages"])).toEqual([
      {
        role: "user",
        parts: [
          { type: "text", content: "What is on these?" },
          { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 3000 },
          { type: "uri", modality: "image", mime_type: "image/jpeg", uri: "https://cdn.example.com/cat.jpg" },
          { type: "file", modality: "application", mime_type: "application/pdf", file_id: "file-abc123" },
          { type: "text", content: "inline document" },
        ],
      },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "Let me look it up." },
          { type: "text", content: "Checking." },
          { type: "tool_call", id: "c1", name: "search", arguments: { q: "cat" } },
        ],
      },
      {
        role: "tool",
        parts: [
          { type: "tool_call_response", id: "c1", response: { hits: 3 } },
          { type: "tool_call_response", id: "c2", response: "plain text" },
          { type: "tool_call_response", id: "c3", response: "timeout" },
          {
            type: "tool_call_response",
            id: "c4",
            response: [
              { type: "text", content: "see image" },
              { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 3000 },
            ],
          },
          { type: "tool-approval-response" },
        ],
      },
    ]);
    expect(JSON.stringify(a)).not.toContain(PNG_BASE64.slice(0, 40));
  });

  it("v2 / v3 file data: Uint8Array, base64 string and URL", async () => {
    const a = await spanOf([
      {
        role: "user",
        content: [
          { type: "file", mediaType: "audio/wav", data: PNG },
          { type: "file", mediaType: "image/png", data: PNG_BASE64 },
          { type: "file", mediaType: "image/png", data: new URL("https://example.com/a.png") },
        ],
      },
    ]);
    expect(json(a["gen_ai.input.messages"])[0].parts).toEqual([
      { type: "blob_omitted", modality: "audio", mime_type: "audio/wav", byte_length: 3000 },
      { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 3000 },
      { type: "uri", modality: "image", mime_type: "image/png", uri: "https://example.com/a.png" },
    ]);
    expect(JSON.stringify(a)).not.toContain(PNG_BASE64.slice(0, 40));
  });

  it("secrets in tool arguments and URL query parameters are redacted", async () => {
    const a = await spanOf([
      {
        role: "user",
        content: [{ type: "file", mediaType: "image/png", data: { type: "url", url: new URL("https://files.example.com/x.png?sig=1&access_token=SECRET1") } }],
      },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "c", toolName: "login", input: { user: "ada", password: "SECRET2" } }] },
    ]);
    const text = JSON.stringify(a);
    expect(text).not.toContain("SECRET1");
    expect(text).not.toContain("SECRET2");
    expect(json(a["gen_ai.input.messages"])[1].parts[0].arguments).toEqual({ user: "ada", password: "[REDACTED]" });
  });

  it("tool definitions: function tools with their JSON schema, provider tools by name", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const a = await spanOf([{ role: "user", content: [{ type: "text", text: "x" }] }], {
      tools: [
        { type: "function", name: "weather", description: "Weather by city", inputSchema: schema },
        { type: "provider", id: "openai.web_search", name: "web_search", args: {} },
      ],
    });
    expect(json(a["gen_ai.tool.definitions"])).toEqual([
      { type: "function", name: "weather", description: "Weather by city", parameters: schema },
      { type: "provider", name: "web_search" },
    ]);
  });

  it("a call without system prompt has no system_instructions attribute", async () => {
    const a = await spanOf([{ role: "user", content: [{ type: "text", text: "x" }] }]);
    expect(a).not.toHaveProperty("gen_ai.system_instructions");
    expect(a).not.toHaveProperty("gen_ai.tool.definitions");
  });
});

describe("output messages", () => {
  it("reasoning, text, tool calls and generated files (placeholder), with the finish reason", async () => {
    const a = await spanOf([{ role: "user", content: [{ type: "text", text: "x" }] }], {}, [
      { type: "reasoning", text: "thinking" },
      { type: "text", text: "Here:" },
      { type: "file", mediaType: "image/png", data: { type: "data", data: PNG_BASE64 } },
      { type: "tool-call", toolCallId: "t1", toolName: "draw", input: '{"shape":"circle"}' },
      { type: "source", sourceType: "url", id: "s1", url: "https://example.com" },
    ]);
    expect(json(a["gen_ai.output.messages"])).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "thinking" },
          { type: "text", content: "Here:" },
          { type: "blob_omitted", modality: "image", mime_type: "image/png", byte_length: 3000 },
          { type: "tool_call", id: "t1", name: "draw", arguments: { shape: "circle" } },
          { type: "source" },
        ],
        finish_reason: "stop",
      },
    ]);
    expect(a["fallom.response.tool_calls"]).toEqual(["draw"]);
  });

  it("through ai 7 generateText with an image prompt: the real prompt conversion path", async () => {
    const mock = new MockLanguageModelV4({
      doGenerate: { content: [{ type: "text", text: "a cat" }], finishReason: { unified: "stop", raw: "stop" }, usage: { inputTokens: { total: 5 }, outputTokens: { total: 2 } } as any, warnings: [] },
    });
    await generateText({
      model: traceModel(mock),
      messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", image: PNG, mediaType: "image/png" }] }],
    });
    const [span] = await sdk.flushSpans();
    const parts = json(span!.attributes["gen_ai.input.messages"])[0].parts;
    expect(parts[0]).toEqual({ type: "text", content: "What is this?" });
    expect(parts[1]).toMatchObject({ type: "blob_omitted", mime_type: "image/png", byte_length: 3000 });
  });
});
