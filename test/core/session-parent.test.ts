// Explicit parents without AsyncLocalStorage (Workers without nodejs_compat): a session's default parent, and
// `parent` on traceModel / fallomMiddleware / wrapAISDK / fallomTelemetry, nest real ai 7 calls under manual spans.
import { generateText, streamText, wrapLanguageModel } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import fallom, { fallomMiddleware, fallomTelemetry } from "../../src/index";
import { hasContext } from "../../src/core/context";
import type { DecodedSpan } from "../support/collector";
import { setupSdk, type TestSdk } from "../support/sdk";

// no AsyncLocalStorage anywhere: not on globalThis, not from process.getBuiltinModule, not by import()
vi.mock("node:async_hooks", () => ({}));
const getBuiltin = (process as any).getBuiltinModule;
(process as any).getBuiltinModule = (id: string) => (/async_hooks/.test(id) ? undefined : getBuiltin.call(process, id));
(globalThis as any).AI_SDK_LOG_WARNINGS = false;

let sdk: TestSdk;
beforeAll(async () => {
  sdk = await setupSdk();
});
beforeEach(() => sdk.collector.reset());
afterAll(async () => {
  await sdk.close();
  (process as any).getBuiltinModule = getBuiltin;
});

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 5, text: 5 } };
const finish = { unified: "stop", raw: "stop" };
// a model that answers after a short wait, so concurrent calls interleave
const model = (text: string, delayMs = 5) =>
  new MockLanguageModelV4({
    modelId: "mock-" + text,
    doGenerate: async () => {
      await new Promise((r) => setTimeout(r, delayMs));
      return { content: [{ type: "text", text }], finishReason: finish, usage, warnings: [] };
    },
    doStream: async () => ({
      stream: new ReadableStream({
        async start(c) {
          await new Promise((r) => setTimeout(r, delayMs));
          for (const p of [
            { type: "stream-start", warnings: [] },
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: text },
            { type: "text-end", id: "t" },
            { type: "finish", usage, finishReason: finish },
          ])
            c.enqueue(p);
          c.close();
        },
      }),
    }),
  });

const byName = (spans: DecodedSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const expectChild = (child: DecodedSpan, parent: DecodedSpan) =>
  expect([child.traceId, child.parentSpanId], child.name + " under " + parent.name).toEqual([parent.traceId, parent.spanId]);

it("runs without AsyncLocalStorage", () => {
  expect(hasContext()).toBe(false);
});

it("fallom.session({ parent }) is the default parent of the session's spans; an explicit parent still wins", async () => {
  const root = fallom.session({}).startSpan("request");
  const session = fallom.session({ sessionId: "s1", parent: root });
  session.trace("a", () => 1);
  const b = session.startSpan("b");
  b.span("b.child", () => 1);
  b.end();
  session.startSpan("explicit", { parent: b }).end();
  // a function is read at each span start
  let current: any;
  const lazy = fallom.session({ parent: () => current });
  lazy.startSpan("before").end();
  current = root;
  lazy.startSpan("after").end();
  root.end();
  const spans = await sdk.flushSpans();
  const r = byName(spans, "request");
  expect(r.parentSpanId).toBeUndefined();
  expectChild(byName(spans, "a"), r);
  expectChild(byName(spans, "b"), r);
  expectChild(byName(spans, "b.child"), byName(spans, "b"));
  expectChild(byName(spans, "explicit"), byName(spans, "b"));
  expect(byName(spans, "before").traceId).not.toBe(r.traceId);
  expectChild(byName(spans, "after"), r);
  expect(byName(spans, "a").attributes["session.id"]).toBe("s1");
});

it("generateText / streamText inside session.trace(): traceModel(model, { parent: span }) nests; 20 concurrent sessions never cross", async () => {
  await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const session = fallom.session({ sessionId: "u" + i });
      await session.trace("work " + i, async (span) => {
        const traced = session.traceModel(model("g" + i, (i * 7) % 13), { parent: span });
        await generateText({ model: traced, prompt: "hi" });
        const r = streamText({ model: session.traceModel(model("s" + i, (i * 5) % 11), { parent: () => span }), prompt: "hi" });
        expect(await r.text).toBe("s" + i);
      });
    }),
  );
  const spans = await sdk.flushSpans();
  expect(spans).toHaveLength(60);
  for (let i = 0; i < 20; i++) {
    const work = byName(spans, "work " + i);
    expect(work.parentSpanId).toBeUndefined();
    for (const llm of [byName(spans, "chat mock-g" + i), byName(spans, "chat mock-s" + i)]) {
      expectChild(llm, work);
      expect(llm.attributes["session.id"]).toBe("u" + i);
    }
  }
});

it("a session's default parent reaches traced models, wrapAISDK, fallomMiddleware and fallomTelemetry with no option", async () => {
  const root = fallom.session({}).startSpan("request");
  const session = fallom.session({ sessionId: "d", parent: root });
  await generateText({ model: session.traceModel(model("tm")), prompt: "hi" });
  await session.wrapAISDK({ generateText }).generateText({ model: model("wrapped"), prompt: "hi" });
  await generateText({ model: wrapLanguageModel({ model: model("mw"), middleware: fallomMiddleware({ session }) }), prompt: "hi" });
  await generateText({ model: model("tel"), prompt: "hi", telemetry: { integrations: [fallomTelemetry({ session })] } } as any);
  root.end();
  const spans = await sdk.flushSpans();
  const r = byName(spans, "request");
  expectChild(byName(spans, "chat mock-tm"), r);
  const agents = spans.filter((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent");
  expect(agents).toHaveLength(2);
  for (const a of agents) expectChild(a, r);
  // each agent (wrapAISDK's, the telemetry's) has its own llm child
  const parents = ["chat mock-wrapped", "chat mock-tel"].map((n) => byName(spans, n).parentSpanId);
  expect(parents.sort()).toEqual(agents.map((a) => a.spanId).sort());
  expectChild(byName(spans, "chat mock-mw"), r);
});

it("the parent option of fallomMiddleware, wrapAISDK and fallomTelemetry (no session)", async () => {
  const root = fallom.session({}).startSpan("manual");
  await generateText({ model: wrapLanguageModel({ model: model("mw"), middleware: fallomMiddleware({ parent: root }) }), prompt: "hi" });
  const wrapped = fallom.session({}).wrapAISDK({ streamText }, { parent: () => root });
  expect(await wrapped.streamText({ model: model("ws"), prompt: "hi" }).text).toBe("ws");
  await generateText({ model: model("tel"), prompt: "hi", telemetry: { integrations: [fallomTelemetry({ parent: root })] } } as any);
  root.end();
  const spans = await sdk.flushSpans();
  const r = byName(spans, "manual");
  expectChild(byName(spans, "chat mock-mw"), r);
  expectChild(byName(spans, "invoke_agent streamText"), r);
  expectChild(byName(spans, "chat mock-ws"), byName(spans, "invoke_agent streamText"));
  const tel = spans.find((s) => s.attributes["gen_ai.operation.name"] === "invoke_agent" && s.name !== "invoke_agent streamText")!;
  expectChild(tel, r);
  expectChild(byName(spans, "chat mock-tel"), tel);
});

it("a parent function that throws is ignored (new trace), never thrown into the app", async () => {
  const session = fallom.session({
    parent: () => {
      throw new Error("boom");
    },
  });
  session.startSpan("x").end();
  await generateText({ model: session.traceModel(model("t"), { parent: () => { throw new Error("no"); } }), prompt: "hi" });
  const spans = await sdk.flushSpans();
  expect(byName(spans, "x").parentSpanId).toBeUndefined();
  expect(byName(spans, "chat mock-t").parentSpanId).toBeUndefined();
});
