// POST /v1/traces of the local collector, running in workerd (Miniflare) with D1, fed by two independent
// producers over real HTTP: this SDK and the OpenTelemetry JS SDK's OTLP/HTTP JSON exporter.
import { gzipSync } from "node:zlib";
import { context, trace as otelTrace, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fallom from "../../src/index";
import { _reset } from "../../src/core/sdk";
import { startCollector } from "../../demo/workers.mjs";
import type { TraceDetail } from "../../src/collector";

type Started = Awaited<ReturnType<typeof startCollector>>;
let collector: Started;
let small: Started;

beforeAll(async () => {
  collector = await startCollector({ apiKey: "ingest-key" });
  // a second instance with tight limits: 2 KB bodies, 6 spans kept
  small = await startCollector({ apiKey: "small-key", bindings: { COLLECTOR_MAX_BODY_BYTES: "2048", COLLECTOR_MAX_SPANS: "6" } });
});

afterAll(async () => {
  _reset();
  await collector?.dispose();
  await small?.dispose();
});

const hex = (n: number, len: number) => n.toString(16).padStart(len, "0");
let nextId = 1;
const ids = () => ({ traceId: hex(nextId, 32), spanId: hex(nextId++, 16) });

function otlpSpan(traceId: string, spanId: string, extra: Record<string, unknown> = {}) {
  const start = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId,
    spanId,
    name: `span-${spanId}`,
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    attributes: [{ key: "fallom.span.type", value: { stringValue: "custom" } }],
    ...extra,
  };
}

const request = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "raw-test" } }] }, scopeSpans: [{ scope: { name: "raw" }, spans }] }],
});

async function post(c: Started, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(`${c.url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${c.apiKey}`, ...headers },
    body,
  });
  return { status: res.status, type: res.headers.get("content-type"), json: (await res.json()) as any };
}

async function getTrace(c: Started, traceId: string): Promise<TraceDetail | undefined> {
  const res = await fetch(`${c.url}/api/traces/${traceId}`);
  return res.status === 404 ? undefined : ((await res.json()) as TraceDetail);
}

const summary = async (c: Started) => (await (await fetch(`${c.url}/api/summary`)).json()) as { traces: number; spans: number };

describe("producers", () => {
  it("stores what this SDK sends (gzip, Bearer key): tree, tokens, cost, TTFT, content, error events", async () => {
    _reset();
    const encodings: Array<string | null> = [];
    const recordingFetch: typeof fetch = (input, init) => {
      encodings.push(new Headers(init?.headers).get("content-encoding"));
      return fetch(input, init);
    };
    await fallom.init({ apiKey: "ingest-key", baseUrl: collector.url, serviceName: "sdk-test", flushIntervalMs: 0, fetch: recordingFetch });
    const session = fallom.session({ sessionId: "conv-1", customerId: "user-9", configKey: "support-bot" });
    let traceparent = "";
    await session.trace(
      "answer",
      async (agent) => {
        traceparent = agent.traceparent();
        agent.setInput({ question: "Where is my order?".repeat(40) }); // > 1 KiB: the exporter gzips
        await agent.span(
          "chat gpt-4o-mini",
          async (llm) => {
            llm.setModel("gpt-4o-mini", "openai").setTokens({ input: 400, output: 90, cacheRead: 128, reasoning: 12 });
            llm.setAttribute("fallom.cost.total_usd", 0.000129).setAttribute("gen_ai.response.time_to_first_chunk", 0.25);
            llm.setOutput("It ships tomorrow.");
          },
          { type: "llm" },
        );
        await agent.span("send-email", async () => {
          throw new Error("SMTP unavailable");
        }, { type: "tool" }).catch(() => {});
      },
      { type: "agent" },
    );
    const flushed = await fallom.flush();
    expect(flushed).toMatchObject({ sent: 3, dropped: 0, pending: 0 });
    expect(fallom.stats().rejected ?? 0).toBe(0);
    expect(encodings).toEqual(["gzip"]);

    const traceId = traceparent.split("-")[1]!;
    const t = (await getTrace(collector, traceId))!;
    expect(t.summary).toMatchObject({ name: "answer", type: "agent", spans: 3, llmCalls: 1, errors: 1, inputTokens: 400, outputTokens: 90, sessionId: "conv-1", customerId: "user-9", configKey: "support-bot", service: "sdk-test" });
    expect(t.summary.costUsd).toBeCloseTo(0.000129, 12);
    expect(t.summary.ttftMs).toBeCloseTo(250, 6);
    const by = (name: string) => t.spans.find((s) => s.name === name)!;
    const root = by("answer");
    const llm = by("chat gpt-4o-mini");
    const tool = by("send-email");
    expect(root.parentSpanId).toBeNull();
    expect(llm.parentSpanId).toBe(root.spanId);
    expect(tool.parentSpanId).toBe(root.spanId);
    expect(llm).toMatchObject({ type: "llm", model: "gpt-4o-mini", provider: "openai", tokens: { input: 400, output: 90, cacheRead: 128, reasoning: 12 } });
    expect(llm.costUsd).toBeCloseTo(0.000129, 12);
    expect(llm.ttftMs).toBeCloseTo(250, 6);
    expect(root.resource["telemetry.sdk.name"]).toBe("@fallom/trace");
    expect(String(root.attributes["fallom.input"])).toContain("Where is my order?");
    expect(tool.status).toEqual({ code: 2, message: "SMTP unavailable" });
    expect(tool.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toBe("SMTP unavailable");
    _reset();
  });

  it("stores what the OpenTelemetry JS OTLP/HTTP JSON exporter sends, plain and gzip", async () => {
    for (const compression of ["none", "gzip"] as const) {
      const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: { Authorization: "Bearer ingest-key" }, compression: compression as any });
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": `otel-js-${compression}` }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      const tracer = provider.getTracer("otel-producer", "1.2.3");
      const parent = tracer.startSpan("invoke_agent planner", { attributes: { "gen_ai.operation.name": "invoke_agent", "session.id": `otel-${compression}` } });
      const child = tracer.startSpan(
        "chat claude-haiku-4.5",
        { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "claude-haiku-4.5", "gen_ai.usage.input_tokens": 21, "gen_ai.usage.output_tokens": 7, "gen_ai.request.stop_sequences": ["\n\n"], temperature: 0.25 } },
        otelTrace.setSpan(context.active(), parent),
      );
      child.addEvent("first-chunk", { index: 1 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: "overloaded" });
      child.end();
      parent.end();
      await provider.forceFlush();
      await provider.shutdown();

      const traceId = parent.spanContext().traceId;
      const t = (await getTrace(collector, traceId))!;
      expect(t, `trace from the ${compression} exporter`).toBeDefined();
      expect(t.summary).toMatchObject({ name: "invoke_agent planner", type: "agent", spans: 2, llmCalls: 1, errors: 1, inputTokens: 21, outputTokens: 7, sessionId: `otel-${compression}`, service: `otel-js-${compression}` });
      const c = t.spans.find((s) => s.name.startsWith("chat"))!;
      expect(c).toMatchObject({ parentSpanId: parent.spanContext().spanId, kind: 3, type: "llm", model: "claude-haiku-4.5", status: { code: 2, message: "overloaded" }, scope: { name: "otel-producer", version: "1.2.3" } });
      expect(c.attributes["gen_ai.request.stop_sequences"]).toEqual(["\n\n"]);
      expect(c.attributes.temperature).toBe(0.25);
      expect(c.events).toEqual([expect.objectContaining({ name: "first-chunk", attributes: { index: 1 } })]);
      expect(BigInt(c.endNs) - BigInt(c.startNs)).toBeGreaterThanOrEqual(0n);
    }
  });
});

describe("OTLP answers", () => {
  it("a resent batch is stored once (idempotent on traceId + spanId); gzip and plain bodies are the same batch", async () => {
    const a = ids();
    const b = ids();
    const body = JSON.stringify(request([otlpSpan(a.traceId, a.spanId), otlpSpan(a.traceId, b.spanId, { parentSpanId: a.spanId })]));
    const before = await summary(collector);
    expect(await post(collector, body)).toMatchObject({ status: 200, json: {} });
    expect(await post(collector, gzipSync(body), { "content-encoding": "gzip" })).toMatchObject({ status: 200, json: {} });
    expect(await post(collector, body)).toMatchObject({ status: 200, json: {} });
    const after = await summary(collector);
    expect(after.spans - before.spans).toBe(2);
    expect(after.traces - before.traces).toBe(1);
    expect((await getTrace(collector, a.traceId))!.spans).toHaveLength(2);
  });

  it("answers JSON with partialSuccess for spans it rejects, and stores the others", async () => {
    const good = ids();
    const res = await post(collector, JSON.stringify(request([otlpSpan(good.traceId, good.spanId), otlpSpan("00000000000000000000000000000000", "00000000000000aa"), otlpSpan(good.traceId, "xyz")])));
    expect(res.status).toBe(200);
    expect(res.type).toContain("application/json");
    expect(res.json.partialSuccess.rejectedSpans).toBe("2");
    expect(res.json.partialSuccess.errorMessage).toMatch(/spans\[1\]\.traceId: expected 32 hex digits, not all zero/);
    expect((await getTrace(collector, good.traceId))!.spans).toHaveLength(1);
  });

  it("malformed bodies get a 400 saying what is wrong, and nothing of them is stored", async () => {
    const ok = ids();
    const cases: Array<[string | Uint8Array, RegExp, Record<string, string>?]> = [
      ["{", /body is not valid JSON/],
      ["[]", /body: expected an object, got array/],
      [JSON.stringify({ resourceSpans: {} }), /resourceSpans: expected an array, got object/],
      // the first span is valid: it must not be stored either
      [JSON.stringify(request([otlpSpan(ok.traceId, ok.spanId), { ...otlpSpan(ok.traceId, "00000000000000ff"), startTimeUnixNano: "soon" }])), /spans\[1\]\.startTimeUnixNano: expected a non-negative integer/],
      [JSON.stringify(request([{ ...otlpSpan(ok.traceId, ok.spanId), attributes: [{ key: "x", value: { intValue: "1.5" } }] }])), /attributes\[0\]\.value\.intValue: expected an integer/],
      [new Uint8Array([1, 2, 3, 4]), /not valid gzip/, { "content-encoding": "gzip" }],
      [new Uint8Array([0xff, 0xfe, 0x7b]), /not valid UTF-8/],
    ];
    const before = await summary(collector);
    for (const [body, message, headers] of cases) {
      const res = await post(collector, body, headers);
      expect(res.status, String(message)).toBe(400);
      expect(res.json.code).toBe(3);
      expect(res.json.message).toMatch(message);
    }
    expect(await summary(collector)).toEqual(before);
    expect(await getTrace(collector, ok.traceId)).toBeUndefined();
  });

  it("unauthenticated or non-JSON requests are refused (401 / 415)", async () => {
    const body = JSON.stringify(request([otlpSpan(ids().traceId, ids().spanId)]));
    for (const authorization of ["", "Bearer wrong-key", "Basic aW5nZXN0LWtleQ=="]) {
      const res = await post(collector, body, { authorization });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 16 });
    }
    const proto = await post(collector, new Uint8Array([10, 0]), { "content-type": "application/x-protobuf" });
    expect(proto.status).toBe(415);
    expect(proto.json.message).toMatch(/OTLP\/HTTP JSON only/);
  });

  it("bodies over the size limit get 413, compressed or once decompressed (gzip bomb)", async () => {
    const big = JSON.stringify(request([otlpSpan(ids().traceId, ids().spanId, { name: "x".repeat(4000) })]));
    const plain = await post(small, big);
    expect(plain.status).toBe(413);
    expect(plain.json.message).toMatch(/limit is 2048|larger than 2048 bytes/);
    const bomb = gzipSync(big + " ".repeat(200_000));
    expect(bomb.length).toBeLessThan(2048);
    const zipped = await post(small, bomb, { "content-encoding": "gzip" });
    expect(zipped.status).toBe(413);
    expect(zipped.json.message).toMatch(/decompressed request body is larger than 2048 bytes/);
  });

  it("retention: past the configured span count the oldest traces are pruned whole", async () => {
    const traces = [0, 1, 2, 3].map(() => {
      const root = ids();
      return { traceId: root.traceId, spans: [otlpSpan(root.traceId, root.spanId), otlpSpan(root.traceId, ids().spanId, { parentSpanId: root.spanId })] };
    });
    for (const [i, t] of traces.entries()) {
      const spans = t.spans.map((s) => ({ ...s, startTimeUnixNano: String(BigInt(s.startTimeUnixNano) + BigInt(i) * 1_000_000_000n), endTimeUnixNano: String(BigInt(s.endTimeUnixNano) + BigInt(i) * 1_000_000_000n) }));
      expect((await post(small, JSON.stringify(request(spans)))).status).toBe(200);
    }
    // 8 spans sent, 6 kept: the oldest trace (2 spans) is gone, the three newest are whole
    expect(await summary(small)).toMatchObject({ spans: 6, traces: 3 });
    expect(await getTrace(small, traces[0]!.traceId)).toBeUndefined();
    for (const t of traces.slice(1)) expect((await getTrace(small, t.traceId))!.spans).toHaveLength(2);
  });
});
