// The documented Workers recipes, written like user code: a session per request, an AI SDK call traced one of four
// ways, `ctx.waitUntil(fallom.flush())` handed over BEFORE the response (and its stream) starts, then one of four
// response kinds. Bundled with esbuild for workerd (flush-recipes.test.ts) and for `wrangler dev` (flush-wrangler.test.ts).
//   GET /?path=traceModel|middleware|wrapAISDK|telemetry&kind=json|text|ui|sse&id=<runId>&delay=<ms per chunk>&chunks=<n>
// The flush result is reported to the collector (`POST /done`) from the same waitUntil, so tests see it settle.
import fallom, { fallomMiddleware, fallomTelemetry } from "@fallom/trace";
import * as ai from "ai";
import { simulateReadableStream, streamText, generateText, wrapLanguageModel } from "ai";
import { MockLanguageModelV4 } from "ai/test";

const usage = { inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 3, text: 3, reasoning: 0 } };
const finish = { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage } as const;

function mockModel(delay: number, chunks: number) {
  return new MockLanguageModelV4({
    modelId: "mock-model",
    doGenerate: async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return { content: [{ type: "text", text: "generated" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
    doStream: async () => ({
      stream: simulateReadableStream({
        initialDelayInMs: delay,
        chunkDelayInMs: delay,
        chunks: [
          { type: "stream-start", warnings: [] },
          { type: "text-start", id: "t" },
          ...Array.from({ length: chunks }, (_, i) => ({ type: "text-delta" as const, id: "t", delta: `w${i} ` })),
          { type: "text-end", id: "t" },
          finish,
        ],
      }),
    }),
  });
}

export default {
  async fetch(request: Request, env: { COLLECTOR: string }, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const url = new URL(request.url);
    const q = (k: string, d = "") => url.searchParams.get(k) ?? d;
    // control for the warning capture: a promise made in one request and resolved in another
    if (url.pathname === "/control-make") return void ((globalThis as any).pending = new Promise((r) => ((globalThis as any).settle = r))), new Response("made");
    if (url.pathname === "/control-settle") return (globalThis as any).settle?.(), new Response("settled");

    await fallom.init({ apiKey: "recipe-key", baseUrl: env.COLLECTOR, flushIntervalMs: 0 });
    const id = q("id");
    const session = fallom.session({ sessionId: id });
    const raw = mockModel(Number(q("delay", "2")), Number(q("chunks", "5")));
    const path = q("path");
    const prompt = "question " + id;
    // the four tracing paths, each giving { generateText, streamText } as a user would call them
    const call =
      path === "traceModel"
        ? { model: session.traceModel(raw), fns: { generateText, streamText } }
        : path === "middleware"
          ? { model: wrapLanguageModel({ model: raw, middleware: fallomMiddleware({ session }) }), fns: { generateText, streamText } }
          : path === "wrapAISDK"
            ? { model: raw, fns: session.wrapAISDK(ai) }
            : { model: raw, fns: { generateText, streamText }, telemetry: { integrations: [fallomTelemetry({ session })] } };
    const options: any = { model: call.model, prompt, ...(call.telemetry && { telemetry: call.telemetry }) };
    // the client goes away mid-stream: what workerd does then (cancel the response body), with the call's
    // abortSignal aborted as an app wires it to the request (ai's tee would otherwise finish the call unseen)
    const abandon = new AbortController();
    if (q("cancel")) options.abortSignal = abandon.signal;
    const kind = q("kind");
    const handOff = () =>
      ctx.waitUntil(
        fallom.flush().then((result) => fetch(env.COLLECTOR + "/done", { method: "POST", body: JSON.stringify({ id, ...result }) }).then((r) => r.text())),
      );

    if (kind === "json") {
      const pending = (call.fns.generateText as typeof generateText)(options);
      handOff();
      return Response.json({ text: (await pending).text });
    }
    const result = (call.fns.streamText as typeof streamText)(options);
    handOff();
    if (q("cancel")) {
      const reader = result.toTextStreamResponse().body!.getReader();
      await reader.read();
      abandon.abort();
      await reader.cancel();
      return new Response("client gone");
    }
    if (kind === "text") return result.toTextStreamResponse();
    if (kind === "ui") return result.toUIMessageStreamResponse();
    const encoder = new TextEncoder();
    const sse = result.textStream.pipeThrough(
      new TransformStream<string, Uint8Array>({ transform: (text, c) => c.enqueue(encoder.encode(`data: ${JSON.stringify(text)}\n\n`)) }),
    );
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  },
};
