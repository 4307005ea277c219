// A deterministic AI SDK model (spec v4) that streams a canned answer word by word: no provider, no network.
import { simulateReadableStream } from "ai";
import { MockLanguageModelV4 } from "ai/test";

const USAGE = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 8, text: 8, reasoning: undefined },
};
const FINISH = { unified: "stop", raw: "stop" } as const;

/** `echo: <prompt>`, streamed as one text delta per word, with usage and a response model id */
export function mockModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doStream: async ({ prompt }) => {
      const words = ("echo: " + lastUserText(prompt)).split(/(?= )/);
      return {
        stream: simulateReadableStream({
          chunks: [
            { type: "stream-start", warnings: [] },
            { type: "response-metadata", id: "resp-next-edge", modelId: "gpt-4o-mini-2024-07-18", timestamp: new Date(0) },
            { type: "text-start", id: "t0" },
            ...words.map((delta) => ({ type: "text-delta" as const, id: "t0", delta })),
            { type: "text-end", id: "t0" },
            { type: "finish", usage: USAGE, finishReason: FINISH },
          ],
        }),
      };
    },
    doGenerate: async ({ prompt }) => ({
      content: [{ type: "text", text: "echo: " + lastUserText(prompt) }],
      finishReason: FINISH,
      usage: USAGE,
      response: { id: "resp-next-edge", modelId: "gpt-4o-mini-2024-07-18", timestamp: new Date(0) },
      warnings: [],
    }),
  });
}

function lastUserText(prompt: Array<{ role: string; content: unknown }>): string {
  const content = prompt.findLast((m) => m.role === "user")?.content;
  return Array.isArray(content) ? content.map((p) => (p.type === "text" ? p.text : "")).join("") : "";
}
