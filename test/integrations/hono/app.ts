// The Hono app of the runtime tests, as a user writes it: fallomHono() from "@fallom/trace/hono", a session per
// request from headers, a handler span and an AI SDK stream (ai 7, a local mock model) answered as a text stream.
import { streamText } from "ai";
import { Hono, type Context } from "hono";
import { fallomHono } from "@fallom/trace/hono";

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 4, text: 4 } };

// a provider model (spec v4) that streams four words with a pause between them: the answer really is streamed
const mockModel = {
  specificationVersion: "v4",
  provider: "mock.chat",
  modelId: "mock-1",
  supportedUrls: {},
  doGenerate: async () => {
    throw new Error("not used");
  },
  doStream: async () => ({
    stream: new ReadableStream({
      async start(c) {
        c.enqueue({ type: "stream-start", warnings: [] });
        c.enqueue({ type: "text-start", id: "t" });
        for (const word of ["one ", "two ", "three ", "four"]) {
          await new Promise((r) => setTimeout(r, 10));
          c.enqueue({ type: "text-delta", id: "t", delta: word });
        }
        c.enqueue({ type: "text-end", id: "t" });
        c.enqueue({ type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } });
        c.close();
      },
    }),
  }),
} as any;

export function createApp(collectorUrl: (c: Context) => string) {
  const app = new Hono();
  app.use(
    fallomHono({
      init: (c) => ({ apiKey: "test-key", baseUrl: collectorUrl(c), retryBaseMs: 5 }),
      session: (c) => ({ sessionId: c.req.header("x-session-id"), customerId: c.req.header("x-user-id") }),
    }),
  );
  app.get("/chat/:topic", async (c) => {
    const session = c.get("fallom");
    const prompt = await session.trace("build prompt", async () => "tell me about " + c.req.param("topic"));
    return streamText({ model: session.traceModel(mockModel), prompt }).toTextStreamResponse();
  });
  return app;
}
