// wrapTools: one tool span per execute, the user's tools untouched, every kind of execute result passed through.
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { _reset } from "../../../src/core/sdk";
import { wrapTools } from "../../../src/integrations/ai-sdk/wrap-tools";
import { setupSdk, type TestSdk } from "../../support/sdk";

let sdk: TestSdk | undefined;
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
});

const opts = (id = "call-1") => ({ toolCallId: id, messages: [], abortSignal: new AbortController().signal });

describe("wrapTools", () => {
  it("returns a copy; the user's object, tools and execute functions are untouched", async () => {
    sdk = await setupSdk();
    const sym = Symbol("meta");
    class MyTool {
      description = "d";
      inputSchema = z.object({ x: z.number() });
      custom = { nested: [1, 2] };
      [sym] = "kept";
      async execute({ x }: { x: number }) {
        return x * 2;
      }
      toModelOutput() {
        return { type: "text", value: "m" };
      }
    }
    const t = new MyTool();
    const noExec = { description: "client-side tool", inputSchema: z.object({}) };
    const tools = { double: t, client: noExec };
    const snapshot = { keys: Object.keys(t), execute: t.execute, custom: JSON.stringify(t.custom) };
    const session = fallom.session();
    const parent = session.startSpan("agent", { type: "agent" });
    const wrapped = wrapTools(tools, () => parent);
    expect(wrapped).not.toBe(tools);
    expect(wrapped.client).toBe(noExec);
    expect(wrapped.double).not.toBe(t);
    expect(wrapped.double).toBeInstanceOf(MyTool);
    expect(wrapped.double.description).toBe("d");
    expect(wrapped.double.inputSchema).toBe(t.inputSchema);
    expect(wrapped.double.custom).toBe(t.custom);
    expect((wrapped.double as any)[sym]).toBe("kept");
    expect(wrapped.double.toModelOutput).toBe(t.toModelOutput);
    expect(await wrapped.double.execute({ x: 4 })).toBe(8);
    expect({ keys: Object.keys(t), execute: t.execute, custom: JSON.stringify(t.custom) }).toEqual(snapshot);
    expect(Object.keys(tools)).toEqual(["double", "client"]);
    expect(tools.double).toBe(t);
    expect(Object.hasOwn(t, "execute")).toBe(false);
  });

  it("non-objects pass through", () => {
    expect(wrapTools(undefined, () => undefined)).toBeUndefined();
    expect(wrapTools(null, () => undefined)).toBeNull();
  });

  it("passes input, options and this unchanged; records name, id, arguments, result, explicit parent", async () => {
    sdk = await setupSdk({ captureContent: true });
    const session = fallom.session({ sessionId: "s" });
    const parent = session.startSpan("agent", { type: "agent" });
    const seen: unknown[] = [];
    const tool = {
      execute(this: unknown, input: unknown, o: unknown) {
        seen.push(this, input, o);
        return Promise.resolve({ ok: true });
      },
    };
    const wrapped = wrapTools({ search: tool }, () => parent, session);
    const input = { q: "weather" };
    const o = opts("tc-9");
    expect(await wrapped.search.execute(input, o)).toEqual({ ok: true });
    expect(seen[0]).toBe(wrapped.search);
    expect(seen[1]).toBe(input);
    expect(seen[2]).toBe(o);
    parent.end();
    const spans = await sdk.flushSpans();
    const span = spans.find((s) => s.attributes["fallom.span.type"] === "tool")!;
    expect(span.name).toBe("execute_tool search");
    expect(span.parentSpanId).toBe(parent.spanId);
    expect(span.traceId).toBe(parent.traceId);
    expect(span.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "search",
      "gen_ai.tool.call.id": "tc-9",
      "gen_ai.tool.call.arguments": '{"q":"weather"}',
      "gen_ai.tool.call.result": '{"ok":true}',
      "session.id": "s",
    });
    expect(span.kind).toBe(1);
  });

  it("sync results stay sync; sync throws and rejections rethrow the same error and mark the span", async () => {
    sdk = await setupSdk({ captureContent: true });
    const parent = fallom.session().startSpan("agent");
    const e1 = new RangeError("sync bad");
    const e2 = new Error("async bad");
    const w = wrapTools(
      {
        sync: { execute: () => 42 },
        throws: {
          execute: () => {
            throw e1;
          },
        },
        rejects: { execute: async () => Promise.reject(e2) },
      },
      () => parent,
    );
    expect(w.sync.execute()).toBe(42);
    expect(() => w.throws.execute()).toThrow(e1);
    await expect(w.rejects.execute()).rejects.toBe(e2);
    parent.end();
    const spans = await sdk.flushSpans();
    const by = (n: string) => spans.find((s) => s.name === "execute_tool " + n)!;
    expect(by("sync").attributes["gen_ai.tool.call.result"]).toBe(42);
    expect(by("throws").status).toMatchObject({ code: 2, message: "sync bad" });
    expect(by("throws").events[0]!.attributes["exception.type"]).toBe("RangeError");
    expect(by("rejects").status).toMatchObject({ code: 2, message: "async bad" });
  });

  it("streaming tools (async iterables): every value passes through, the last is the result, span ends at the end", async () => {
    sdk = await setupSdk({ captureContent: true });
    const parent = fallom.session().startSpan("agent");
    const w = wrapTools(
      {
        progress: {
          async *execute() {
            yield { status: "loading" };
            await new Promise((r) => setTimeout(r, 5));
            yield { status: "done", value: 7 };
          },
        },
        broken: {
          async *execute() {
            yield 1;
            throw new Error("mid-stream");
          },
        },
      },
      () => parent,
    );
    const got: unknown[] = [];
    for await (const v of w.progress.execute() as AsyncIterable<unknown>) got.push(v);
    expect(got).toEqual([{ status: "loading" }, { status: "done", value: 7 }]);
    const it2 = w.broken.execute() as AsyncIterable<unknown>;
    await expect(
      (async () => {
        for await (const _ of it2);
      })(),
    ).rejects.toThrow("mid-stream");
    parent.end();
    const spans = await sdk.flushSpans();
    const p = spans.find((s) => s.name === "execute_tool progress")!;
    expect(JSON.parse(p.attributes["gen_ai.tool.call.result"] as string)).toEqual({ status: "done", value: 7 });
    expect(BigInt(p.endTimeUnixNano) - BigInt(p.startTimeUnixNano)).toBeGreaterThanOrEqual(4_000_000n);
    expect(spans.find((s) => s.name === "execute_tool broken")!.status?.code).toBe(2);
  });

  it("runs execute with the tool span active, so spans started inside nest under it", async () => {
    sdk = await setupSdk();
    const session = fallom.session();
    const parent = session.startSpan("agent");
    const w = wrapTools({ t: { execute: async () => session.trace("inner", async () => 1) } }, () => parent, session);
    await w.t.execute();
    parent.end(); // an open span keeps the flush covering its session waiting until its deadline
    const spans = await sdk.flushSpans();
    const tool = spans.find((s) => s.name === "execute_tool t")!;
    expect(spans.find((s) => s.name === "inner")!.parentSpanId).toBe(tool.spanId);
  });

  it("disabled SDK: execute is called directly and its very result returned", () => {
    _reset();
    const promise = Promise.resolve(1);
    const w = wrapTools({ t: { execute: () => promise } }, () => undefined);
    expect(w.t.execute()).toBe(promise);
  });

  it("with real ai 7: streaming tool results and outputs are identical to the unwrapped tools", async () => {
    sdk = await setupSdk({ captureContent: true });
    (globalThis as any).AI_SDK_LOG_WARNINGS = false;
    const usage = { inputTokens: { total: 1, noCache: 1 }, outputTokens: { total: 1, text: 1 } };
    const model = () => {
      let i = 0;
      return new MockLanguageModelV4({
        doGenerate: async (): Promise<any> =>
          i++ === 0
            ? {
                content: [{ type: "tool-call", toolCallId: "c1", toolName: "count", input: '{"to":3}' }],
                finishReason: { unified: "tool-calls", raw: "tool_calls" },
                usage,
                warnings: [],
              }
            : { content: [{ type: "text", text: "ok" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] },
      });
    };
    const tools = () => ({
      count: ai.tool({
        inputSchema: z.object({ to: z.number() }),
        async *execute({ to }) {
          for (let n = 1; n <= to; n++) yield n;
        },
      }),
    });
    const parent = fallom.session().startSpan("agent");
    const run = (t: any) => ai.generateText({ model: model(), tools: t, prompt: "x", stopWhen: ai.stepCountIs(3) });
    const plain = await run(tools());
    const wrapped = await run(wrapTools(tools(), () => parent));
    const view = (r: any) => JSON.stringify({ results: r.toolResults, steps: r.steps.map((s: any) => s.content), text: r.text });
    expect(view(wrapped)).toBe(view(plain));
    expect(plain.steps[0]!.toolResults[0]!.output).toBe(3);
    parent.end();
    const spans = await sdk.flushSpans();
    expect(spans.find((s) => s.name === "execute_tool count")!.attributes["gen_ai.tool.call.result"]).toBe(3);
  });
});
