// Explicit parents on workerd without any flag (no AsyncLocalStorage), real ai 7 in the bundle: generateText and
// streamText inside session.trace() with `traceModel(model, { parent })` or the session's default parent nest under
// the right span, across concurrent requests and concurrent sessions within one request; never crossed.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import { bundle, runWorkerd, type WorkerdHandle } from "./harness";

const WORKER = `
import fallom from "@fallom/trace";
import { generateText, streamText } from "ai";

const usage = { inputTokens: { total: 2, noCache: 2 }, outputTokens: { total: 1, text: 1 } };
const finish = { unified: "stop", raw: "stop" };
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
// a model that answers its own id after a random pause, so concurrent calls interleave
const model = (id) => ({
  specificationVersion: "v4", provider: "mock.chat", modelId: id, supportedUrls: {},
  doGenerate: async () => (await pause(Math.random() * 8), { content: [{ type: "text", text: id }], finishReason: finish, usage, warnings: [] }),
  doStream: async () => ({
    stream: new ReadableStream({
      async start(c) {
        await pause(Math.random() * 8);
        for (const p of [{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: id }, { type: "text-end", id: "t" }, { type: "finish", usage, finishReason: finish }]) c.enqueue(p);
        c.close();
      },
    }),
  }),
});

export default {
  async fetch(request, env, ctx) {
    await fallom.init({ env });
    const r = new URL(request.url).searchParams.get("r");
    // three sessions per request, run concurrently
    const texts = await Promise.all(["a", "b", "c"].map(async (s) => {
      const sessionId = r + "-" + s;
      const session = fallom.session({ sessionId });
      const explicit = await session.trace("work", async (span) => {
        const g = await generateText({ model: session.traceModel(model(sessionId + "-gen"), { parent: span }), prompt: "hi" });
        const st = streamText({ model: session.traceModel(model(sessionId + "-stream"), { parent: () => span }), prompt: "hi" });
        return g.text + "|" + (await st.text);
      });
      // the session's default parent: no option on the model
      const root = session.startSpan("request");
      const child = fallom.session({ sessionId, parent: root });
      const d = await generateText({ model: child.traceModel(model(sessionId + "-default")), prompt: "hi" });
      root.end();
      return explicit + "|" + d.text;
    }));
    ctx.waitUntil(fallom.flush());
    return Response.json(texts);
  },
};`;

let collector: Collector;
let worker: WorkerdHandle;
let output = "";
beforeAll(async () => {
  collector = await startCollector();
  worker = await runWorkerd(await bundle({ contents: WORKER }, "esm"), { flags: [], bindings: { FALLOM_API_KEY: "k", FALLOM_BASE_URL: collector.url } });
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

it("20 concurrent requests × 3 concurrent sessions, no AsyncLocalStorage: every llm span under its own session's span", async () => {
  const N = 20;
  const replies = await Promise.all(Array.from({ length: N }, (_, i) => worker.fetch("/?r=r" + i).then((r) => r.json())));
  replies.forEach((texts: string[], i) =>
    expect(texts).toEqual(["a", "b", "c"].map((s) => `r${i}-${s}-gen|r${i}-${s}-stream|r${i}-${s}-default`)),
  );
  const spans = await collector.waitForSpans(N * 3 * 5, 20_000);
  expect(spans).toHaveLength(N * 3 * 5);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const problems: string[] = [];
  for (const s of spans.filter((x) => x.attributes["fallom.span.type"] === "llm")) {
    const sessionId = s.attributes["session.id"] as string;
    const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    const want = s.name.endsWith("-default") ? "request" : "work";
    if (!s.name.startsWith("chat " + sessionId + "-")) problems.push(`${s.name} carries session ${sessionId}`);
    if (parent?.name !== want || parent.attributes["session.id"] !== sessionId || parent.traceId !== s.traceId)
      problems.push(`${s.name}: parent ${parent?.name} of ${parent?.attributes["session.id"]}`);
  }
  expect(problems).toEqual([]);
  const roots = spans.filter((s: DecodedSpan) => !s.parentSpanId);
  expect(roots).toHaveLength(N * 3 * 2); // one "work" and one "request" per session
});
