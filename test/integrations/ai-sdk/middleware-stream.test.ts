// C5 streaming lifecycle at the model level (what any AI SDK API consumes): the caller's stream is the
// provider's, chunk for chunk, with backpressure; the llm span ends exactly once — on finish, error, cancel,
// or at the flush deadline when nobody reads.
import { wrapLanguageModel } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import fallom from "../../../src/index";
import { _reset } from "../../../src/core/sdk";
import { fallomMiddleware, traceModel } from "../../../src/integrations/ai-sdk/index";
import { setupSdk, type TestSdk } from "../../support/sdk";
import { USAGE_KEYS } from "./middleware-fixtures";

let sdk: TestSdk | undefined;
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
  _reset();
});

const USAGE = { inputTokens: { total: 12, noCache: 8, cacheRead: 4, cacheWrite: undefined }, outputTokens: { total: 7, text: 7, reasoning: undefined } };

function parts(words = 5): any[] {
  return [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", id: "resp-1", modelId: "gpt-4o-mini-2024-07-18" },
    { type: "text-start", id: "t" },
    ...Array.from({ length: words }, (_, i) => ({ type: "text-delta", id: "t", delta: `w${i} ` })),
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: USAGE },
  ];
}

/** A provider stream that records pulls and cancels and can fail after n chunks */
function source(chunks: any[], o: { failAfter?: number; error?: unknown } = {}) {
  const log = { pulls: 0, cancelled: undefined as unknown, sent: 0 };
  const stream = new ReadableStream<any>(
    {
      pull(c) {
        log.pulls++;
        if (o.failAfter !== undefined && log.sent >= o.failAfter) return c.error(o.error);
        if (log.sent < chunks.length) c.enqueue(chunks[log.sent++]);
        else c.close();
      },
      cancel(reason) {
        log.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, log };
}

function v4Model(make: () => ReadableStream<any>) {
  return {
    specificationVersion: "v4",
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    supportedUrls: {},
    async doGenerate(): Promise<any> {
      throw new Error("not used");
    },
    async doStream() {
      return { stream: make(), request: { body: "{}" }, response: { headers: { "x-request-id": "r1" } } };
    },
  };
}

async function readAll(stream: ReadableStream<any>): Promise<any[]> {
  const out: any[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

const prompt = { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] } as any;

describe("traced doStream", () => {
  it("finish: same chunk objects in the same order, other result fields kept, one span with usage", async () => {
    sdk = await setupSdk();
    const chunks = parts();
    const { stream } = source(chunks);
    const result = await traceModel(v4Model(() => stream)).doStream(prompt);
    expect(result.response).toEqual({ headers: { "x-request-id": "r1" } });
    expect(result.request).toEqual({ body: "{}" });
    const got = await readAll(result.stream);
    expect(got).toHaveLength(chunks.length);
    got.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status?.code ?? 0).toBe(0);
    expect(all[0]!.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 7, "gen_ai.response.id": "resp-1" });
    expect(all[0]!.attributes).not.toHaveProperty("fallom.stream.cancelled");
  });

  it("backpressure: the tap pulls only when the caller reads (nothing buffered ahead)", async () => {
    sdk = await setupSdk();
    const { stream, log } = source(parts(50));
    const result = await traceModel(v4Model(() => stream)).doStream(prompt);
    await new Promise((r) => setTimeout(r, 20));
    expect(log.pulls).toBe(0);
    const reader = result.stream.getReader();
    for (let i = 1; i <= 5; i++) {
      await reader.read();
      await new Promise((r) => setTimeout(r, 5));
      expect(log.sent).toBe(i);
    }
    await reader.cancel();
  });

  it("cancel after 2 parts: reason reaches the provider, span ends once as cancelled, usage absent", async () => {
    sdk = await setupSdk();
    const { stream, log } = source(parts(20));
    const result = await traceModel(v4Model(() => stream)).doStream(prompt);
    const reader = result.stream.getReader();
    await reader.read();
    await reader.read();
    const reason = new Error("client went away");
    await reader.cancel(reason);
    expect(log.cancelled).toBe(reason);
    await sdk.flushSpans();
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: 2, message: "cancelled" });
    expect(all[0]!.attributes["fallom.stream.cancelled"]).toBe(true);
    expect(all[0]!.attributes["gen_ai.response.id"]).toBeUndefined();
    for (const k of USAGE_KEYS) expect(all[0]!.attributes).not.toHaveProperty(k);
  });

  it("cancel after the finish part does not end the span again", async () => {
    sdk = await setupSdk();
    const chunks = [...parts(2), { type: "raw", rawValue: {} }];
    const { stream } = source(chunks);
    const reader = (await traceModel(v4Model(() => stream)).doStream(prompt)).stream.getReader();
    for (let i = 0; i < chunks.length - 1; i++) await reader.read();
    await reader.cancel();
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status?.code ?? 0).toBe(0);
    expect(all[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(12);
  });

  it("error mid-stream: the caller gets the same error object; span status 2 + exception, ended once", async () => {
    sdk = await setupSdk();
    const boom = new Error("socket hang up");
    const { stream } = source(parts(10), { failAfter: 4, error: boom });
    const reader = (await traceModel(v4Model(() => stream)).doStream(prompt)).stream.getReader();
    const seen: unknown[] = [];
    let caught: unknown;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        seen.push(r.value);
      }
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    expect(seen).toHaveLength(4);
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: 2, message: "socket hang up" });
    expect(all[0]!.events.map((e) => e.name)).toEqual(["exception"]);
    expect(all[0]!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThanOrEqual(0);
    for (const k of USAGE_KEYS) expect(all[0]!.attributes).not.toHaveProperty(k);
  });

  it("never read: flush() ends the span at its deadline as unconsumed, without usage", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 500 });
    const { stream } = source(parts());
    await traceModel(v4Model(() => stream)).doStream(prompt);
    const t0 = Date.now();
    const flushed = await fallom.flush();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(flushed.timedOut).toBe(true);
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: 2, message: "unconsumed" });
    expect(all[0]!.attributes["fallom.stream.unconsumed"]).toBe(true);
    for (const k of USAGE_KEYS) expect(all[0]!.attributes).not.toHaveProperty(k);
  });

  it("read partly then dropped: ended at the deadline; reading later still works and exports nothing more", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 500 });
    const chunks = parts(3);
    const { stream } = source(chunks);
    const reader = (await traceModel(v4Model(() => stream)).doStream(prompt)).stream.getReader();
    await reader.read();
    await reader.read();
    await sdk.flushSpans();
    let rest = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      rest++;
    }
    expect(rest).toBe(chunks.length - 2);
    await sdk.flushSpans();
    const all = sdk.collector.allSpans();
    expect(all).toHaveLength(1);
    expect(all[0]!.attributes["fallom.stream.unconsumed"]).toBe(true);
  });

  it("a flush while a stream is being read waits for it to finish (no span cut short)", async () => {
    sdk = await setupSdk({ flushTimeoutMs: 5000 });
    const slow = new ReadableStream<any>({
      async start(c) {
        for (const p of parts(3)) {
          await new Promise((r) => setTimeout(r, 30));
          c.enqueue(p);
        }
        c.close();
      },
    });
    const result = await traceModel(v4Model(() => slow)).doStream(prompt);
    const reading = readAll(result.stream);
    const spans = await sdk.flushSpans();
    await reading;
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes["gen_ai.usage.input_tokens"]).toBe(12);
  });

  it("our bookkeeping throwing never reaches the caller's stream", async () => {
    sdk = await setupSdk();
    const hostile = {
      type: "finish",
      finishReason: "stop",
      get usage(): never {
        throw new Error("hostile getter");
      },
    };
    const typeless = {
      get type(): never {
        throw new Error("no type");
      },
    };
    const chunks = [...parts(2).slice(0, -1), typeless, hostile, { type: "raw", rawValue: 1 }];
    const { stream } = source(chunks);
    const got = await readAll((await traceModel(v4Model(() => stream)).doStream(prompt)).stream);
    expect(got).toHaveLength(chunks.length);
    got.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
    const [span] = await sdk.flushSpans();
    expect(span).toBeDefined();
  });

  it("concurrent streams keep their own spans and usage", async () => {
    sdk = await setupSdk();
    const mk = (id: string, input: number) => [
      { type: "response-metadata", id },
      { type: "text-delta", id: "t", delta: id },
      { type: "finish", finishReason: "stop", usage: { inputTokens: input, outputTokens: 1 } },
    ];
    const a = (await traceModel(v4Model(() => source(mk("a", 1)).stream)).doStream(prompt)).stream.getReader();
    const b = (await traceModel(v4Model(() => source(mk("b", 2)).stream)).doStream(prompt)).stream.getReader();
    for (let i = 0; i < 4; i++) {
      await b.read();
      await a.read();
    }
    const spans = await sdk.flushSpans();
    const byId = Object.fromEntries(spans.map((s) => [s.attributes["gen_ai.response.id"], s.attributes["gen_ai.usage.input_tokens"]]));
    expect(byId).toEqual({ a: 1, b: 2 });
  });

  it("through ai 7 wrapLanguageModel + fallomMiddleware the same lifecycle holds (cancel)", async () => {
    sdk = await setupSdk();
    const { stream, log } = source(parts(20));
    const model = wrapLanguageModel({ model: v4Model(() => stream) as any, middleware: fallomMiddleware() });
    const reader = (await model.doStream(prompt)).stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("stop");
    expect(log.cancelled).toBe("stop");
    const [span] = await sdk.flushSpans();
    expect(span!.attributes["fallom.stream.cancelled"]).toBe(true);
  });
});

describe("SDK disabled or not initialised", () => {
  it("the provider's own stream and result objects are returned untouched", async () => {
    _reset();
    const { stream } = source(parts());
    const inner = v4Model(() => stream);
    const result = await traceModel(inner).doStream(prompt);
    expect(result.stream).toBe(stream);
    const generated = { content: [], finishReason: "stop", usage: {}, warnings: [] };
    const m = { ...inner, doGenerate: async () => generated };
    expect(await traceModel(m).doGenerate(prompt)).toBe(generated);
  });
});
