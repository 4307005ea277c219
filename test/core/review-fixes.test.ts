// Regressions found in review: header precedence, redaction on every path, hook output, drop accounting,
// option precedence, auto-flush isolation from other requests' streams, re-tracing a traced model.
import { afterEach, expect, it } from "vitest";
import { MockLanguageModelV4 } from "ai/test";
import fallom from "../../src/index";
import { resolveOptions } from "../../src/core/options";
import { track } from "../../src/core/sdk";
import { traceModel } from "../../src/integrations/ai-sdk/trace-model";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
const NEXT = Symbol.for("@next/request-context");
afterEach(async () => {
  delete (globalThis as any)[NEXT];
  await sdk?.close();
  sdk = undefined;
});

it("a user Authorization header replaces the Bearer key instead of being merged with it", async () => {
  sdk = await setupSdk({ headers: { Authorization: "Basic abc" } });
  fallom.session().startSpan("x").end();
  await fallom.flush();
  expect(sdk.collector.requests[0]!.headers.authorization).toBe("Basic abc");
});

it("secret metadata keys and secret URL parameters are redacted on every path", async () => {
  sdk = await setupSdk();
  const span = fallom.session().startSpan("x");
  span.setMetadata({ api_key: "sk-live", plan: "pro" });
  span.setAttribute("http.url", "https://api.test/v1?access_token=abc&page=2");
  span.end();
  const [out] = await sdk.flushSpans();
  expect(out!.attributes["fallom.metadata.api_key"]).toBe("[REDACTED]");
  expect(out!.attributes["fallom.metadata.plan"]).toBe("pro");
  expect(out!.attributes["http.url"]).toBe("https://api.test/v1?access_token=[REDACTED]&page=2");
});

it("whatever the redact hook returns, the span is kept and valid", async () => {
  sdk = await setupSdk({ redact: (key, value) => (key === "a" ? (10n as any) : key === "b" ? ([{ x: 1 }] as any) : key === "c" ? ({} as any) : value) });
  fallom.session().startSpan("x", { attributes: { a: 1, b: 2, c: 3, d: 4 } }).end();
  const [out] = await sdk.flushSpans();
  expect(out!.attributes).toMatchObject({ a: "10", b: '[{"x":1}]', c: "[REDACTED]", d: 4 });
});

it("spans dropped while batching are counted in the flush result", async () => {
  sdk = await setupSdk({ maxBatchBytes: 2048 });
  fallom.session().startSpan("huge", { attributes: { blob: "z".repeat(5000) } }).end();
  const result = await fallom.flush();
  expect(result).toMatchObject({ sent: 0, dropped: 1 });
  expect(fallom.stats().dropped.too_large).toBe(1);
});

it("an explicit baseUrl option wins over FALLOM_BASE_URL", () => {
  const o = resolveOptions({ baseUrl: "http://127.0.0.1:1", env: { FALLOM_BASE_URL: "http://127.0.0.1:2" } });
  expect(o.tracesUrl).toBe("http://127.0.0.1:1");
  expect(resolveOptions({ env: { FALLOM_BASE_URL: "http://127.0.0.1:2" } }).tracesUrl).toBe("http://127.0.0.1:2");
});

it("a request-context auto flush never ends another request's open stream", async () => {
  sdk = await setupSdk({ flushTimeoutMs: 300 });
  const registered: Promise<unknown>[] = [];
  (globalThis as any)[NEXT] = { get: () => ({ waitUntil: (p: Promise<unknown>) => registered.push(p) }) };
  const s = fallom.session();
  const stream = s.startSpan("long stream");
  let finish!: () => void;
  track(new Promise<void>((r) => (finish = r)), () => stream.end());
  s.startSpan("unrelated").end(); // schedules an auto flush
  expect(registered).toHaveLength(2); // the stream's own work, then the auto flush
  await registered[1];
  await new Promise((r) => setTimeout(r, 400));
  expect(stream.isRecording()).toBe(true);
  stream.end();
  finish();
  expect(sdk.collector.spans().map((x) => x.name)).toContain("unrelated");
});

it("tracing a traced model again with options re-wraps the original: one span, under the given parent", async () => {
  sdk = await setupSdk();
  const session = fallom.session({ sessionId: "s" });
  const model = new MockLanguageModelV4({
    modelId: "m",
    doGenerate: async () => ({ content: [{ type: "text", text: "ok" }], finishReason: { unified: "stop", raw: "stop" }, usage: { inputTokens: { total: 1 }, outputTokens: { total: 1 } }, warnings: [] }),
  });
  const once = session.traceModel(model);
  expect(traceModel(once)).toBe(once); // idempotent without options
  const parent = session.startSpan("agent", { type: "agent" });
  await traceModel(session.traceModel(once), { session, parent: () => parent }).doGenerate({ prompt: [] } as any);
  parent.end();
  const spans = await sdk.flushSpans();
  const llm = spans.filter((x) => x.attributes["fallom.span.type"] === "llm");
  expect(llm).toHaveLength(1);
  expect(llm[0]!.parentSpanId).toBe(parent.spanId);
});
