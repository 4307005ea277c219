// init(): idempotent, validated once, key discovery, disabled mode, and the options that shape what is exported.
import { afterEach, describe, expect, it, vi } from "vitest";
import fallom from "../../src/index";
import { _reset } from "../../src/core/sdk";
import { resolveOptions } from "../../src/core/options";
import { startCollector, type Collector } from "../support/collector";
import { setupSdk, type TestSdk } from "../support/sdk";

let sdk: TestSdk | undefined;
let collector: Collector | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sdk?.close();
  await collector?.close();
  sdk = collector = undefined;
  _reset();
});

describe("init", () => {
  it("C7: a second init is a no-op (debug note), exporters never stack", async () => {
    sdk = await setupSdk({ debug: true });
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    await fallom.init({ apiKey: "other", baseUrl: "http://127.0.0.1:9" });
    expect(debug.mock.calls.some((c) => String(c.join(" ")).includes("init() called again"))).toBe(true);
    fallom.session().startSpan("once").end();
    await fallom.flush();
    expect(sdk.collector.allSpans()).toHaveLength(1);
    expect(sdk.collector.requests[0]!.headers.authorization).toBe("Bearer test-key");
  });

  it("N1: without an API key nothing is sent and nothing throws", async () => {
    const fetchSpy = vi.fn(fetch);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await fallom.init({ fetch: fetchSpy });
    const s = fallom.session({ sessionId: "x" });
    const out = await s.trace("work", async (span) => {
      span.setAttribute("k", 1).setInput({ a: 1 }).setTokens({ input: 1 });
      return 42;
    });
    expect(out).toBe(42);
    expect(await fallom.flush()).toEqual({ sent: 0, dropped: 0, pending: 0, timedOut: false });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled(); // the "disabled" note is debug-only
  });

  it("N1: nonsense options and wrong argument types warn clearly and never throw", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    collector = await startCollector();
    await fallom.init({
      apiKey: "k",
      baseUrl: collector.url,
      sampleRate: 7,
      maxQueueSize: -1,
      tracesUrl: "not a url",
      headers: 5 as any,
      flushIntervalMs: 0,
    });
    const text = warn.mock.calls.map((c) => String(c[0])).join("\n");
    expect(text).toContain("sampleRate must be a number from 0 to 1");
    expect(text).toContain("maxQueueSize must be a number >= 1");
    expect(text).toContain('tracesUrl must be an http(s) URL');
    expect(text).toContain("headers must be an object");
    const s = fallom.session(null as any);
    const span = s.startSpan(undefined as any, { type: "tool", parent: undefined });
    span.setAttribute(undefined as any, undefined).setAttributes(null as any).setMetadata(undefined as any).setTokens(null as any);
    span.setError(undefined).setError({ get message(): string { throw new Error("x"); } });
    span.addEvent(Symbol() as any, { a: () => 1 });
    span.evaluate(undefined as any);
    expect(span.end()).toBe(true);
    expect(s.trace("no-callback", undefined as any)).toBeUndefined();
    fallom.trace.span(undefined as any, undefined);
    await expect(fallom.flush()).resolves.toMatchObject({ dropped: 0 });
    // tracesUrl fell back to baseUrl
    expect(collector.spans().length).toBeGreaterThanOrEqual(3);
  });

  it("reads the key from an env object (Workers bindings) and from process.env", async () => {
    expect(resolveOptions({ env: { FALLOM_API_KEY: "from-env" } }).apiKey).toBe("from-env");
    process.env.FALLOM_API_KEY = "from-process";
    try {
      expect(resolveOptions({}).apiKey).toBe("from-process");
      expect(resolveOptions({ apiKey: "explicit" }).apiKey).toBe("explicit");
    } finally {
      delete process.env.FALLOM_API_KEY;
    }
  });

  it("baseUrl points traces, configs and prompts at one host", () => {
    const o = resolveOptions({ baseUrl: "http://127.0.0.1:8787/" });
    expect([o.tracesUrl, o.configsUrl, o.promptsUrl]).toEqual(Array(3).fill("http://127.0.0.1:8787"));
    const d = resolveOptions({});
    expect(d.tracesUrl).toBe("https://traces.fallom.com");
    expect(d.configsUrl).toBe("https://configs.fallom.com");
    expect(d.promptsUrl).toBe("https://prompts.fallom.com");
  });

  it("exports the resource attributes (service, environment, sdk)", async () => {
    sdk = await setupSdk({ serviceName: "chat-api", environment: "staging" });
    fallom.session().startSpan("x").end();
    const [span] = await sdk.flushSpans();
    expect(span!.resource).toMatchObject({
      "service.name": "chat-api",
      "deployment.environment.name": "staging",
      "telemetry.sdk.name": "@fallom/trace",
      // semconv: "nodejs" on Node itself (these tests run on Node); "webjs" on Workers, edge, Deno, Bun
      "telemetry.sdk.language": "nodejs",
    });
    expect(typeof span!.resource["telemetry.sdk.version"]).toBe("string");
  });
});

describe("what gets exported", () => {
  it("captureContent: false removes inputs, outputs and messages everywhere", async () => {
    sdk = await setupSdk({ captureContent: false });
    const s = fallom.session({ sessionId: "s" });
    const span = s.startSpan("llm", { type: "llm", input: "secret prompt" });
    span.setOutput("secret answer");
    span.setAttribute("gen_ai.input.messages", "[]").setAttribute("gen_ai.tool.call.arguments", "{}");
    span.setAttribute("gen_ai.request.model", "gpt-4o");
    span.end();
    const [out] = await sdk.flushSpans();
    expect(Object.keys(out!.attributes).filter((k) => /input|output|arguments/.test(k) && !k.includes("usage"))).toEqual([]);
    expect(out!.attributes["gen_ai.request.model"]).toBe("gpt-4o");
  });

  it("redacts secret-looking keys by default, and the redact hook runs last and fails closed", async () => {
    sdk = await setupSdk({
      redact: (key, value) => {
        if (key === "boom") throw new Error("hook bug");
        if (key === "drop.me") return undefined;
        return typeof value === "string" ? value.replaceAll("alice@example.com", "<email>") : value;
      },
    });
    const span = fallom.session({ metadata: { token: "t0k" } }).startSpan("x");
    span.setInput({ headers: { Authorization: "Bearer abc" }, url: "https://api.test/v1?api_key=sk-1&q=ok", who: "alice@example.com" });
    span.setAttribute("boom", "sensitive").setAttribute("drop.me", "x").setAttribute("keep", 1);
    span.end();
    const [out] = await sdk.flushSpans();
    const input = JSON.parse(out!.attributes["fallom.input"] as string);
    expect(input.headers.Authorization).toBe("[REDACTED]");
    expect(input.url).toContain("api_key=[REDACTED]");
    expect(input.url).toContain("q=ok");
    expect(input.who).toBe("<email>");
    expect(out!.attributes["fallom.metadata.token"]).toBe("[REDACTED]");
    expect(out!.attributes.boom).toBe("[REDACTED]");
    expect(out!.attributes).not.toHaveProperty("drop.me");
    expect(out!.attributes.keep).toBe(1);
    expect(fallom.stats().redactErrors).toBe(1);
  });

  it("truncates long strings and lists them in fallom.truncated; caps attribute count", async () => {
    sdk = await setupSdk({ maxAttributeLength: 100, maxAttributes: 5 });
    const span = fallom.session().startSpan("x");
    span.setAttribute("long", "a".repeat(1000)).setInput({ text: "b".repeat(5000) });
    for (let i = 0; i < 10; i++) span.setAttribute("n" + i, i);
    span.end();
    const [out] = await sdk.flushSpans();
    expect((out!.attributes.long as string).length).toBe(100);
    expect(out!.attributes["fallom.truncated"]).toEqual(["long", "fallom.input"]);
    expect(Object.keys(out!.attributes).filter((k) => k.startsWith("n"))).toHaveLength(2);
    expect(out!.droppedAttributesCount).toBe(8); // span type, long, input, n0, n1 kept; n2…n9 counted
  });

  it("D5: head sampling is decided per trace from the traceId; children follow their root", async () => {
    sdk = await setupSdk({ sampleRate: 0.5, maxQueueSize: 100_000 });
    const s = fallom.session();
    let kept = 0;
    for (let i = 0; i < 4000; i++) {
      const root = s.startSpan("root");
      root.startSpan("child").end();
      root.end();
      if (root.sampled) kept++;
    }
    expect(kept / 4000).toBeGreaterThan(0.45);
    expect(kept / 4000).toBeLessThan(0.55);
    expect(fallom.stats().dropped.sampled_out).toBe((4000 - kept) * 2);
    const spans = await sdk.flushSpans();
    expect(spans).toHaveLength(kept * 2);
    const roots = new Set(spans.filter((x) => !x.parentSpanId).map((x) => x.traceId));
    for (const x of spans) expect(roots.has(x.traceId)).toBe(true);
  });

  it("O2: onError receives each export failure, and a throwing onError is isolated", async () => {
    const seen: unknown[] = [];
    sdk = await setupSdk({
      onError: (e) => {
        seen.push(e);
        throw new Error("user hook failed");
      },
    });
    sdk.collector.enqueue({ status: 400, body: "bad" });
    fallom.session().startSpan("x").end();
    await expect(fallom.flush()).resolves.toMatchObject({ dropped: 1 });
    expect(seen).toHaveLength(1);
  });
});
