// Spans and sessions: nesting (implicit and explicit), handles, errors, evaluations, metrics, ids and clocks.
import { afterEach, describe, expect, it, vi } from "vitest";
import fallom, { Span, trace } from "../../src/index";
import { toNanos } from "../../src/core/clock";
import { newSpanId, newTraceId } from "../../src/core/ids";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  await sdk?.close();
  sdk = undefined;
});

const byName = (spans: { name: string }[]) => Object.fromEntries(spans.map((s) => [s.name, s])) as Record<string, any>;

describe("spans", () => {
  it("nests implicitly through AsyncLocalStorage and carries session attributes on every span", async () => {
    sdk = await setupSdk();
    const s = fallom.session({ sessionId: "conv-1", customerId: "user-9", configKey: "chat", tags: ["beta"], metadata: { plan: "pro" } });
    await s.trace("request", async () => {
      await Promise.all([
        s.trace("retrieve", async () => new Promise((r) => setTimeout(r, 5)), { type: "retrieval" }),
        s.trace("generate", async () => {
          s.startSpan("tool-call", { type: "tool" }).end(); // picks the active span as parent
        }, { type: "llm" }),
      ]);
    }, { type: "agent" });
    const spans = byName(await sdk.flushSpans());
    expect(spans.retrieve.parentSpanId).toBe(spans.request.spanId);
    expect(spans.generate.parentSpanId).toBe(spans.request.spanId);
    expect(spans["tool-call"].parentSpanId).toBe(spans.generate.spanId);
    expect(spans.request.parentSpanId).toBeUndefined();
    for (const x of Object.values(spans)) {
      expect(x.traceId).toBe(spans.request.traceId);
      expect(x.attributes).toMatchObject({
        "session.id": "conv-1",
        "gen_ai.conversation.id": "conv-1",
        "user.id": "user-9",
        "fallom.config_key": "chat",
        "fallom.tags": ["beta"],
        "fallom.metadata.plan": "pro",
      });
    }
    expect(spans.generate.kind).toBe(3); // CLIENT for llm
    expect(spans.retrieve.kind).toBe(1);
    expect(spans.retrieve.attributes["fallom.span.type"]).toBe("retrieval");
  });

  it("explicit parents work without any context, and sessions never mix", async () => {
    sdk = await setupSdk();
    const a = fallom.session({ sessionId: "A" });
    const b = fallom.session({ sessionId: "B" });
    const ra = a.startSpan("root-a");
    const rb = b.startSpan("root-b");
    const ca = ra.startSpan("child-a");
    const cb = b.startSpan("child-b", { parent: rb });
    for (const x of [ca, cb, ra, rb]) x.end();
    const spans = byName(await sdk.flushSpans());
    expect(spans["child-a"].parentSpanId).toBe(spans["root-a"].spanId);
    expect(spans["child-b"].parentSpanId).toBe(spans["root-b"].spanId);
    expect(spans["child-a"].attributes["session.id"]).toBe("A");
    expect(spans["child-b"].attributes["session.id"]).toBe("B");
    expect(spans["root-a"].traceId).not.toBe(spans["root-b"].traceId);
  });

  it("handles: ending twice returns false, open handles are listed", async () => {
    sdk = await setupSdk();
    const s = fallom.session();
    const one = s.startSpan("one");
    const two = s.startSpan("two");
    expect(s.openSpans()).toEqual([one, two]);
    expect(one.end()).toBe(true);
    expect(one.end()).toBe(false);
    one.setAttribute("late", 1); // ignored after end
    expect(s.openSpans()).toEqual([two]);
    two.end();
    expect(s.openSpans()).toEqual([]);
    const spans = await sdk.flushSpans();
    expect(spans).toHaveLength(2);
    expect(byName(spans).one.attributes).not.toHaveProperty("late");
  });

  it("callback style records errors (sync and async) and rethrows the same error", async () => {
    sdk = await setupSdk();
    const s = fallom.session();
    const syncError = new RangeError("sync bad");
    expect(() => s.trace("sync", () => { throw syncError; })).toThrow(syncError);
    const asyncError = new Error("async bad");
    await expect(s.trace("async", async () => { throw asyncError; })).rejects.toBe(asyncError);
    expect(s.trace("value", () => 7)).toBe(7);
    const spans = byName(await sdk.flushSpans());
    expect(spans.sync.status).toEqual({ code: 2, message: "sync bad" });
    expect(spans.sync.events[0].name).toBe("exception");
    expect(spans.sync.events[0].attributes).toMatchObject({ "exception.type": "RangeError", "exception.message": "sync bad" });
    expect(String(spans.sync.events[0].attributes["exception.stacktrace"])).toContain("RangeError");
    expect(spans.async.status.code).toBe(2);
    expect(spans.value.status).toBeUndefined();
  });

  it("setters map to GenAI semantic conventions", async () => {
    sdk = await setupSdk();
    const span = fallom.session().startSpan("llm", { type: "llm" });
    span.setModel("gpt-4o-mini", "openai").setTokens({ input: 100, output: 20, cacheRead: 80, reasoning: 5 });
    span.setMetadata({ route: "/chat" }).setInput([{ role: "user", content: "hi" }]).setOutput("hello");
    span.setStatus("ok");
    span.end();
    const [out] = await sdk.flushSpans();
    expect(out!.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.provider.name": "openai",
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 20,
      "gen_ai.usage.cache_read.input_tokens": 80,
      "gen_ai.usage.reasoning.output_tokens": 5,
      "fallom.metadata.route": "/chat",
      "fallom.input": '[{"role":"user","content":"hi"}]',
      "fallom.output": "hello",
    });
    // absent usage stays absent: never a made-up 0
    expect(out!.attributes).not.toHaveProperty("gen_ai.usage.cache_creation.input_tokens");
    expect(out!.status).toEqual({ code: 1 });
  });

  it("evaluations become child evaluation spans with gen_ai.evaluation.*", async () => {
    sdk = await setupSdk();
    const span = fallom.session({ sessionId: "s" }).startSpan("answer");
    span.evaluate({ name: "relevance", score: 0.82, label: "relevant", explanation: "cites the doc" });
    span.end();
    const spans = byName(await sdk.flushSpans());
    const ev = spans["evaluation relevance"];
    expect(ev.parentSpanId).toBe(spans.answer.spanId);
    expect(ev.attributes).toMatchObject({
      "fallom.span.type": "evaluation",
      "gen_ai.evaluation.name": "relevance",
      "gen_ai.evaluation.score.value": 0.82,
      "gen_ai.evaluation.score.label": "relevant",
      "gen_ai.evaluation.explanation": "cites the doc",
      "session.id": "s",
    });
  });

  it("custom metrics: trace.span(data, { configKey, sessionId }) and session.recordMetrics", async () => {
    sdk = await setupSdk();
    trace.span({ outlier_score: 0.8, user_satisfaction: 4, flagged: true }, { configKey: "chatbot", sessionId: "s-1" });
    fallom.session({ sessionId: "s-2" }).recordMetrics({ latency_budget_ms: 1200 });
    const spans = await sdk.flushSpans();
    const [m1, m2] = [spans.find((x) => x.attributes["session.id"] === "s-1")!, spans.find((x) => x.attributes["session.id"] === "s-2")!];
    expect(m1.attributes).toMatchObject({
      "fallom.span.type": "metric",
      "fallom.metric.outlier_score": 0.8,
      "fallom.metric.user_satisfaction": 4,
      "fallom.metric.flagged": true,
      "fallom.config_key": "chatbot",
    });
    expect(m2.attributes["fallom.metric.latency_budget_ms"]).toBe(1200);
  });

  it("session.setAttributes applies to spans started afterwards (prompt / config linkage hook)", async () => {
    sdk = await setupSdk();
    const s = fallom.session({ sessionId: "s" });
    s.startSpan("before").end();
    s.setAttributes({ "gen_ai.prompt.name": "greeting", "fallom.prompt.version": 3 });
    s.startSpan("after").end();
    const spans = byName(await sdk.flushSpans());
    expect(spans.before.attributes).not.toHaveProperty("gen_ai.prompt.name");
    expect(spans.after.attributes).toMatchObject({ "gen_ai.prompt.name": "greeting", "fallom.prompt.version": 3 });
  });

  it("continues a remote W3C trace and produces a traceparent", async () => {
    sdk = await setupSdk();
    const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const span = fallom.session().startSpan("server", { traceparent: parent, kind: 2 });
    expect(span.traceparent()).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[\da-f]{16}-01$/);
    span.end();
    const [out] = await sdk.flushSpans();
    expect(out!.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(out!.parentSpanId).toBe("00f067aa0ba902b7");
    expect(out!.kind).toBe(2);
  });

  it("spans created before init or when disabled are inert and never throw", () => {
    const span = new Span("orphan");
    expect(span.isRecording()).toBe(false);
    expect(span.setAttribute("a", 1).end()).toBe(true);
  });
});

describe("recording: raw on the request path, resolved at export", () => {
  it("objects are snapshotted when set; strings are cut and redacted only at export", async () => {
    sdk = await setupSdk({ maxAttributeLength: 40 });
    const messages = [{ role: "user", content: "hi" }];
    const span = fallom.session().startSpan("snap");
    span.setInput(messages).setAttribute("url", "https://x.test/?api_key=sk-123&q=1").setAttribute("long", "y".repeat(100));
    messages.push({ role: "assistant", content: "later" }); // a mutation after the set must not show up
    span.end();
    const [out] = await sdk.flushSpans();
    expect(JSON.parse(out!.attributes["fallom.input"] as string)).toEqual([{ role: "user", content: "hi" }]);
    expect(out!.attributes["url"]).toBe("https://x.test/?api_key=[REDACTED]&q=1");
    expect(out!.attributes["long"]).toBe("y".repeat(40));
    expect(out!.attributes["fallom.truncated"]).toEqual(["long"]);
  });

  it("later() runs at flush, not before; a throwing one loses only its own attributes; the last write wins", async () => {
    sdk = await setupSdk();
    let calls = 0;
    const span = fallom.session().startSpan("lazy");
    span.later(() => (calls++, { "a.derived": 1, "b.shared": "from-later" }));
    span.later(() => {
      throw new Error("boom");
    });
    span.setAttribute("b.shared", "set-after").setAttribute("c.plain", true).end();
    span.later(() => ({ "d.after-end": 1 })); // ignored: the span has ended
    expect(calls).toBe(0);
    const [out] = await sdk.flushSpans();
    expect(calls).toBe(1);
    expect(out!.attributes).toMatchObject({ "a.derived": 1, "b.shared": "set-after", "c.plain": true });
    expect(out!.attributes).not.toHaveProperty("d.after-end");
  });

  it("a non-string key is recorded under its string form", async () => {
    sdk = await setupSdk();
    fallom.session().startSpan("keys").setAttribute(42 as unknown as string, "x").end();
    const [out] = await sdk.flushSpans();
    expect(out!.attributes["42"]).toBe("x");
  });

  it("later() content is dropped at export when captureContent is false", async () => {
    sdk = await setupSdk({ captureContent: false });
    fallom.session().startSpan("private").later(() => ({ "gen_ai.input.messages": [{ role: "user" }], "gen_ai.request.model": "m" })).end();
    const [out] = await sdk.flushSpans();
    expect(out!.attributes).not.toHaveProperty("gen_ai.input.messages");
    expect(out!.attributes["gen_ai.request.model"]).toBe("m");
  });

  it("a span setting keys in a loop stays bounded: last values kept, keys over maxAttributes counted", async () => {
    sdk = await setupSdk({ maxAttributes: 4 });
    const span = fallom.session().startSpan("loop");
    for (let i = 0; i < 10_000; i++) span.setAttribute("progress", i).setAttribute("k" + (i % 6), i);
    expect((span as any).attrs.length).toBeLessThanOrEqual(16 * 4 + 2);
    span.end();
    const [out] = await sdk.flushSpans();
    expect(out!.attributes["progress"]).toBe(9999);
    // span type + progress + k0 + k1 fill the 4 slots; k2..k5 are dropped every time they are set
    expect(out!.attributes["k1"]).toBe(9997);
    expect(out!.attributes).not.toHaveProperty("k2");
    expect(out!.droppedAttributesCount).toBeGreaterThan(0);
  });

  it("ids are made on first read and stay stable; children inherit the trace", () => {
    const parent = new Span("p");
    const child = new Span("c", { parent });
    expect(child.traceId).toBe(parent.traceId);
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(parent.spanId).toMatch(/^[\da-f]{16}$/);
    expect(parent.spanId).toBe(parent.spanId);
    expect(child.spanId).not.toBe(parent.spanId);
  });

  it("open spans are tracked whatever order they end in", async () => {
    sdk = await setupSdk();
    const s = fallom.session();
    const spans = Array.from({ length: 6 }, (_, i) => s.startSpan("s" + i));
    for (const i of [2, 5, 0]) spans[i]!.end();
    expect(s.openSpans().map((x) => x.name).sort()).toEqual(["s1", "s3", "s4"]);
    for (const i of [4, 1, 3]) spans[i]!.end();
    expect(s.openSpans()).toEqual([]);
  });
});

describe("ids and clocks", () => {
  it("ids are lowercase hex of the right length, never all zero, and unique", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const t = newTraceId();
      const s = newSpanId();
      expect(t).toMatch(/^[\da-f]{32}$/);
      expect(s).toMatch(/^[\da-f]{16}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(5000);
  });

  it("timestamps are nanoseconds since epoch as decimal strings", () => {
    expect(toNanos(1_700_000_000_123.5)).toBe("1700000000123500000");
    expect(toNanos(1_700_000_000_123.25)).toBe("1700000000123250000");
    expect(toNanos(1_700_000_000_000)).toBe("1700000000000000000");
    expect(toNanos(1_700_000_000_000.9999999)).toBe("1700000000001000000");
  });

  it("N5: on Workers a span whose clock never moved is marked duration_unmeasurable; times never before 2000", async () => {
    sdk = await setupSdk();
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z"), toFake: ["Date", "performance"] });
    const span = fallom.session().startSpan("cpu-only");
    span.end();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    const [out] = await sdk.flushSpans();
    expect(out!.attributes["fallom.duration_unmeasurable"]).toBe(true);
    expect(BigInt(out!.startTimeUnixNano)).toBeGreaterThan(946684800000000000n);
  });

  it("C3: per-request state is released (10k sessions, forced GC)", async () => {
    const { setFlagsFromString } = await import("node:v8");
    const { runInNewContext } = await import("node:vm");
    setFlagsFromString("--expose_gc");
    const gc = runInNewContext("gc") as () => void;
    // a fetch that answers locally: the collector stand-in would itself retain every request
    sdk = await setupSdk({ maxQueueSize: 20_000, fetch: async () => new Response("{}") });
    const run = async () => {
      for (let i = 0; i < 10_000; i++) {
        const s = fallom.session({ sessionId: "s" + i, metadata: { i } });
        await s.trace("req", async (span) => span.span("child", () => span.setInput({ i })));
      }
      await fallom.flush();
    };
    await run(); // warm up
    gc();
    const before = process.memoryUsage().heapUsed;
    await run();
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    expect(fallom.stats()).toMatchObject({ queued: 0, pending: 0 });
  });
});
