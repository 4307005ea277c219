// The real ai 7, 6 and 5 with their mock models (spec v4, v3, v2), traced both ways: traceModel(model) and
// wrapLanguageModel({ model, middleware: fallomMiddleware() }). Results must be identical to untraced runs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { fallomMiddleware, traceModel } from "../../../src/integrations/ai-sdk/index";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";
import { expectedUsage, finishReason, FLAVORS, USAGE_KEYS, HELLO, internal, mockModel, usage, MODEL_ID, plain, RESPONSE_MODEL, type Flavor, type ModelOptions } from "./middleware-fixtures";

let sdk: TestSdk;
beforeEach(async () => {
  sdk = await setupSdk();
});
afterEach(() => sdk.close());

const STYLES = {
  traceModel: (_f: Flavor, model: any) => traceModel(model),
  middleware: (f: Flavor, model: any) => f.ai.wrapLanguageModel({ model, middleware: fallomMiddleware() }),
} as const;


const byStart = (spans: DecodedSpan[]) => [...spans].sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));
const json = (v: unknown) => JSON.parse(v as string);
const weatherTool = (f: Flavor) =>
  f.ai.tool({ description: "Weather", inputSchema: z.object({ city: z.string() }), execute: async ({ city }: { city: string }) => ({ city, celsius: 21 }) });
const TOOL_STEPS = [{ toolCall: { id: "call-1", name: "weather", input: '{"city":"Paris"}' } }, { text: "It is 21 degrees in Paris" }];

// ai 5 / 6 test mocks do not watch the abort signal: real providers' fetch does, so the stream errors like this
function abortable(parts: any[], delayMs: number, signal?: AbortSignal): ReadableStream<any> {
  let i = 0;
  return new ReadableStream({
    async pull(c) {
      if (signal?.aborted) return c.error(signal.reason);
      if (i > 1) await new Promise((r) => setTimeout(r, delayMs));
      if (signal?.aborted) return c.error(signal.reason);
      if (i < parts.length) c.enqueue(parts[i++]);
      else c.close();
    },
  });
}

for (const flavor of FLAVORS) {
  for (const [style, wrap] of Object.entries(STYLES)) {
    const traced = (o?: ModelOptions) => wrap(flavor, mockModel(flavor, o));

    describe(`${flavor.name} via ${style}`, () => {
      it("generateText: identical result, one llm span with request, response, usage and cost", async () => {
        const call = (model: any) =>
          flavor.ai.generateText({ model, system: "Be brief.", prompt: "Say hello", temperature: 0.3, maxOutputTokens: 100, topP: 0.9, seed: 7, stopSequences: ["END"], _internal: internal() });
        const plainResult = plain(await call(mockModel(flavor)));
        expect(plain(await call(traced()))).toEqual(plainResult);
        const spans = await sdk.flushSpans();
        expect(spans).toHaveLength(1);
        const span = spans[0]!;
        expect(span.name).toBe("chat " + MODEL_ID);
        expect(span.kind).toBe(3);
        expect(span.status?.code ?? 0).toBe(0);
        expect(span.attributes).toMatchObject({
          "fallom.span.type": "llm",
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "fallom.provider.raw": "openai.chat",
          "gen_ai.request.model": MODEL_ID,
          "gen_ai.request.temperature": 0.3,
          "gen_ai.request.max_tokens": 100,
          "gen_ai.request.top_p": 0.9,
          "gen_ai.request.seed": 7,
          "gen_ai.request.stop_sequences": ["END"],
          "gen_ai.request.stream": false,
          "gen_ai.response.model": RESPONSE_MODEL,
          "gen_ai.response.id": "resp-0",
          "gen_ai.response.finish_reasons": ["stop"],
          ...expectedUsage(flavor.spec),
        });
        if (flavor.spec === "v2") expect(span.attributes).not.toHaveProperty("gen_ai.usage.cache_creation.input_tokens");
        expect(span.attributes["fallom.cost.total_usd"]).toBeGreaterThan(0);
        expect(json(span.attributes["gen_ai.system_instructions"])).toEqual([{ type: "text", content: "Be brief." }]);
        expect(json(span.attributes["gen_ai.input.messages"])).toEqual([{ role: "user", parts: [{ type: "text", content: "Say hello" }] }]);
        expect(json(span.attributes["gen_ai.output.messages"])).toEqual([
          { role: "assistant", parts: [{ type: "text", content: HELLO.text }], finish_reason: "stop" },
        ]);
      });

      it("streamText: identical fullStream parts, span ends with usage, TTFT and output", async () => {
        const collect = async (model: any) => {
          const result = flavor.ai.streamText({ model, prompt: "Say hello", _internal: internal() });
          const parts: unknown[] = [];
          for await (const part of result.fullStream) parts.push(plain(part));
          return parts;
        };
        const expected = await collect(mockModel(flavor));
        expect(await collect(traced())).toEqual(expected);
        const [span, ...rest] = await sdk.flushSpans();
        expect(rest).toHaveLength(0);
        expect(span!.attributes).toMatchObject({
          "gen_ai.request.stream": true,
          "gen_ai.response.id": "resp-0",
          "gen_ai.response.model": RESPONSE_MODEL,
          "gen_ai.response.finish_reasons": ["stop"],
          ...expectedUsage(flavor.spec),
        });
        expect(span!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThanOrEqual(0);
        expect(json(span!.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "text", content: HELLO.text }]);
      });

      it("TTFT is taken at the first content part, not at response-metadata", async () => {
        // stream-start and response-metadata at once, the first text delta 60 ms later
        const parts = [
          { type: "stream-start", warnings: [] },
          { type: "response-metadata", id: "resp-0", modelId: RESPONSE_MODEL, timestamp: new Date(0) },
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "late" },
          { type: "text-end", id: "t" },
          { type: "finish", finishReason: finishReason(flavor.spec, "stop"), usage: usage(flavor.spec) },
        ];
        const stream = () => {
          let i = 0;
          return new ReadableStream({
            async pull(c) {
              if (i === 3) await new Promise((r) => setTimeout(r, 60));
              c.enqueue(parts[i++]);
              if (i === parts.length) c.close();
            },
          });
        };
        const result = flavor.ai.streamText({ model: traced({ stream }), prompt: "x" });
        expect(await result.text).toBe("late");
        const [span] = await sdk.flushSpans();
        const ttft = span!.attributes["gen_ai.response.time_to_first_chunk"] as number;
        expect(ttft).toBeGreaterThanOrEqual(0.05);
        expect(ttft).toBeLessThanOrEqual(Number(BigInt(span!.endTimeUnixNano) - BigInt(span!.startTimeUnixNano)) / 1e9);
      });

      it("generateText: a provider error reaches the caller as the same object; span status 2 + exception event", async () => {
        const boom = new TypeError("provider exploded");
        let caught: unknown;
        try {
          await flavor.ai.generateText({ model: traced({ error: boom }), prompt: "x", maxRetries: 0 });
        } catch (e) {
          caught = e;
        }
        expect(caught).toBe(boom);
        const [span] = await sdk.flushSpans();
        expect(span!.status).toEqual({ code: 2, message: "provider exploded" });
        expect(span!.events).toHaveLength(1);
        expect(span!.events[0]!.name).toBe("exception");
        expect(span!.events[0]!.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "provider exploded" });
        for (const k of USAGE_KEYS) expect(span!.attributes).not.toHaveProperty(k);
      });

      it("streamText: doStream rejecting delivers the same error to the caller; span failed", async () => {
        const boom = new Error("no stream for you");
        const errors: unknown[] = [];
        const result = flavor.ai.streamText({ model: traced({ error: boom }), prompt: "x", maxRetries: 0, onError: ({ error }: any) => void errors.push(error) });
        const parts: any[] = [];
        for await (const p of result.fullStream) parts.push(p);
        expect(parts.find((p) => p.type === "error").error).toBe(boom);
        expect(errors).toEqual([boom]);
        const [span] = await sdk.flushSpans();
        expect(span!.status).toEqual({ code: 2, message: "no stream for you" });
      });

      it("streamText: a stream erroring mid-way ends the span once with the error, usage absent", async () => {
        const boom = new Error("connection reset");
        const model = traced({
          stream: () => {
            const parts = [{ type: "stream-start", warnings: [] }, { type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "partial" }];
            let i = 0;
            return new ReadableStream({
              pull(c) {
                if (i < parts.length) c.enqueue(parts[i++]);
                else c.error(boom);
              },
            });
          },
        });
        const result = flavor.ai.streamText({ model, prompt: "x", onError: () => {} });
        const parts: any[] = [];
        try {
          for await (const p of result.fullStream) parts.push(p);
        } catch (e) {
          // ai 7 rethrows a stream error from fullStream; ai 5 / 6 emit it as an error part
          parts.push({ type: "error", error: e });
        }
        expect(parts.find((p) => p.type === "error").error).toBe(boom);
        await sdk.flushSpans();
        const all = sdk.collector.allSpans();
        expect(all).toHaveLength(1);
        expect(all[0]!.status).toEqual({ code: 2, message: "connection reset" });
        for (const k of USAGE_KEYS) expect(all[0]!.attributes).not.toHaveProperty(k);
      });

      it("streamText: an error part is recorded, usage of the finish part kept", async () => {
        const model = traced({
          stream: () =>
            flavor.ai.simulateReadableStream({
              chunks: [
                { type: "stream-start", warnings: [] },
                { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
                { type: "finish", finishReason: finishReason(flavor.spec, "error"), usage: usage(flavor.spec) },
              ],
            }),
        });
        const result = flavor.ai.streamText({ model, prompt: "x", onError: () => {} });
        for await (const _ of result.fullStream);
        const [span] = await sdk.flushSpans();
        expect(span!.status).toMatchObject({ code: 2, message: "Overloaded" });
        expect(span!.attributes).toMatchObject({ ...expectedUsage(flavor.spec), "gen_ai.response.finish_reasons": ["error"] });
      });

      it("abort mid-stream: the caller sees the abort, the span ends exactly once without usage", async () => {
        const controller = new AbortController();
        const model = wrap(
          flavor,
          new flavor.Mock({
            provider: "openai.chat",
            modelId: MODEL_ID,
            doStream: async (options: any) => ({
              stream: abortable(
                [
                  { type: "stream-start", warnings: [] },
                  { type: "response-metadata", id: "resp-0", modelId: RESPONSE_MODEL },
                  ...Array.from({ length: 20 }, (_, i) => ({ type: "text-delta", id: "t", delta: "w" + i })),
                ],
                5,
                options.abortSignal,
              ),
            }),
          }),
        );
        const result = flavor.ai.streamText({ model, prompt: "x", abortSignal: controller.signal, onError: () => {} });
        const types: string[] = [];
        try {
          for await (const p of result.fullStream) {
            types.push(p.type);
            if (p.type === "text-delta") controller.abort();
          }
        } catch (e) {
          types.push("threw:" + (e as Error).name);
        }
        expect(types.filter((t) => t === "text-delta").length).toBeLessThan(20);
        await sdk.flushSpans();
        const all = sdk.collector.allSpans();
        expect(all).toHaveLength(1);
        expect(all[0]!.status?.code).toBe(2);
        for (const k of USAGE_KEYS) expect(all[0]!.attributes).not.toHaveProperty(k);
      });

      it("multi-step tool loop (generateText): one llm span per step, tool calls and results in content", async () => {
        const call = (model: any) =>
          flavor.ai.generateText({ model, prompt: "Weather in Paris?", tools: { weather: weatherTool(flavor) }, stopWhen: flavor.ai.stepCountIs(5), _internal: internal() });
        const expected = plain(await call(mockModel(flavor, { steps: TOOL_STEPS })));
        expect(plain(await call(traced({ steps: TOOL_STEPS })))).toEqual(expected);
        const spans = byStart(await sdk.flushSpans());
        expect(spans).toHaveLength(2);
        expect(spans.map((s) => s.attributes["gen_ai.response.finish_reasons"])).toEqual([["tool_call"], ["stop"]]);
        expect(spans.map((s) => s.attributes["gen_ai.response.id"])).toEqual(["resp-0", "resp-1"]);
        expect(spans[0]!.attributes["fallom.response.tool_calls"]).toEqual(["weather"]);
        expect(spans[1]!.attributes).not.toHaveProperty("fallom.response.tool_calls");
        expect(json(spans[0]!.attributes["gen_ai.tool.definitions"])).toMatchObject([{ type: "function", name: "weather", description: "Weather" }]);
        const input = json(spans[1]!.attributes["gen_ai.input.messages"]);
        expect(input.map((m: any) => m.role)).toEqual(["user", "assistant", "tool"]);
        expect(input[1].parts).toContainEqual({ type: "tool_call", id: "call-1", name: "weather", arguments: { city: "Paris" } });
        expect(input[2].parts).toEqual([{ type: "tool_call_response", id: "call-1", response: { city: "Paris", celsius: 21 } }]);
      });

      it("multi-step tool loop (streamText): identical parts, one llm span per step", async () => {
        const collect = async (model: any) => {
          const result = flavor.ai.streamText({ model, prompt: "Weather?", tools: { weather: weatherTool(flavor) }, stopWhen: flavor.ai.stepCountIs(5), _internal: internal() });
          const parts: unknown[] = [];
          for await (const part of result.fullStream) parts.push(plain(part));
          return parts;
        };
        const expected = await collect(mockModel(flavor, { steps: TOOL_STEPS }));
        expect(await collect(traced({ steps: TOOL_STEPS }))).toEqual(expected);
        const spans = byStart(await sdk.flushSpans());
        expect(spans).toHaveLength(2);
        expect(spans.map((s) => s.attributes["gen_ai.response.finish_reasons"])).toEqual([["tool_call"], ["stop"]]);
        expect(json(spans[0]!.attributes["gen_ai.output.messages"])[0].parts).toEqual([
          { type: "tool_call", id: "call-1", name: "weather", arguments: { city: "Paris" } },
        ]);
        expect(spans[0]!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThanOrEqual(0);
        for (const s of spans) expect(s.attributes).toMatchObject(expectedUsage(flavor.spec));
      });

      it("generateObject / streamObject: identical objects, spans with json output type", async () => {
        const schema = z.object({ name: z.string(), age: z.number() });
        const steps = [{ text: '{"name":"Ada","age":36}' }];
        const gen = (model: any) => flavor.ai.generateObject({ model, schema, prompt: "Ada?", _internal: internal() });
        expect(plain(await gen(traced({ steps })))).toEqual(plain(await gen(mockModel(flavor, { steps }))));
        const stream = async (model: any) => {
          const result = flavor.ai.streamObject({ model, schema, prompt: "Ada?", _internal: internal() });
          const partials: unknown[] = [];
          for await (const p of result.partialObjectStream) partials.push(p);
          return { partials, object: await result.object };
        };
        const expected = await stream(mockModel(flavor, { steps }));
        expect(await stream(traced({ steps }))).toEqual(expected);
        expect(expected.object).toEqual({ name: "Ada", age: 36 });
        const spans = byStart(await sdk.flushSpans());
        expect(spans).toHaveLength(2);
        expect(spans.map((s) => s.attributes["gen_ai.request.stream"])).toEqual([false, true]);
        for (const s of spans) {
          expect(s.attributes["gen_ai.output.type"]).toBe("json");
          expect(json(s.attributes["gen_ai.output.messages"])[0].parts).toEqual([{ type: "text", content: '{"name":"Ada","age":36}' }]);
        }
      });

      it("streamText never read by the caller still ends its span (ai drains the model stream)", async () => {
        const inner = mockModel(flavor);
        flavor.ai.streamText({ model: wrap(flavor, inner), prompt: "x" });
        // flush() waits for streams already started; ai starts the model call a few ticks later
        await vi.waitFor(() => expect(inner.doStreamCalls).toHaveLength(1));
        const [span] = await sdk.flushSpans();
        expect(span!.attributes).toMatchObject(expectedUsage(flavor.spec));
      });
    });
  }
}
