// The traced-model conformance case (issue 3): real `ai` 7 + MockLanguageModelV4 through session.traceModel,
// generate and stream, in any runtime. Pure public API; bundled like users deploy it.
import fallom from "@fallom/trace";
import { generateText, simulateReadableStream, streamText } from "ai";
import { MockLanguageModelV4 } from "ai/test";

export const TRACED_MARKER = "@@traced-model ";

const usage = { inputTokens: { total: 12, noCache: 8, cacheRead: 4, cacheWrite: 0 }, outputTokens: { total: 8, text: 6, reasoning: 2 } };

export async function runTracedModel(o: { url: string; runId: string }) {
  await fallom.init({ apiKey: "conformance-key", baseUrl: o.url, flushIntervalMs: 0 });
  const session = fallom.session({ sessionId: o.runId, customerId: "user-1" });
  const model = session.traceModel(
    new MockLanguageModelV4({
      modelId: "gpt-4o-mini",
      doGenerate: async () => ({
        content: [{ type: "text", text: "generated answer" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      }),
      doStream: async () => ({
        stream: simulateReadableStream({
          initialDelayInMs: 20,
          chunkDelayInMs: 2,
          chunks: [
            { type: "stream-start", warnings: [] },
            { type: "response-metadata", id: "resp-1", modelId: "gpt-4o-mini-2024-07-18" },
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "streamed " },
            { type: "text-delta", id: "t", delta: "answer" },
            { type: "text-end", id: "t" },
            { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
          ],
        }),
      }),
    }),
  );
  const generated = await generateText({ model, prompt: "question one" });
  const stream = streamText({ model, prompt: "question two" });
  let streamed = "";
  for await (const text of stream.textStream) streamed += text;
  const flush = await fallom.flush();
  return { generated: generated.text, streamed, flush };
}
