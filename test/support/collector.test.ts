import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { setTimeout as realSleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { collectorEnv, startCollector, type Collector } from "./collector.js";
import { decodeOtlp, OtlpDecodeError } from "./otlp-decode.js";

const open: Collector[] = [];
async function collector(options?: { maxBodyBytes?: number }): Promise<Collector> {
  const c = await startCollector(options);
  open.push(c);
  return c;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const TRACE = "5b8efff798038103d269b633813fc60c";
const TRACE2 = "0af7651916cd43dd8448eb211c80319c";
const ROOT = "eee19b7ec3c1b174";
const CHILD = "b7ad6b7169203331";
const T0 = "1763845200000000000"; // 2025-11-22T21:00:00Z in ns

/** A hand-written OTLP/JSON body: two spans covering every AnyValue type, events, status, scope, resource. */
function payload(): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: "service.name", value: { stringValue: "checkout" } },
            { key: "telemetry.sdk.name", value: { stringValue: "@fallom/trace" } },
            { key: "telemetry.sdk.language", value: { stringValue: "webjs" } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: "@fallom/trace", version: "0.1.0" },
            spans: [
              {
                traceId: TRACE,
                spanId: ROOT,
                parentSpanId: "",
                name: "agent run",
                kind: 1,
                startTimeUnixNano: T0,
                endTimeUnixNano: "1763845201500000000",
                attributes: [
                  { key: "s", value: { stringValue: "hello ✓" } },
                  { key: "b", value: { boolValue: true } },
                  { key: "i_str", value: { intValue: "42" } },
                  { key: "i_num", value: { intValue: -7 } },
                  { key: "d", value: { doubleValue: 0.25 } },
                  { key: "d_int", value: { doubleValue: 3 } },
                  { key: "arr", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: "1" }] } } },
                  { key: "empty_arr", value: { arrayValue: {} } },
                  {
                    key: "kv",
                    value: {
                      kvlistValue: {
                        values: [
                          { key: "x", value: { boolValue: false } },
                          { key: "nested", value: { kvlistValue: { values: [{ key: "y", value: { doubleValue: 1.5 } }] } } },
                        ],
                      },
                    },
                  },
                  { key: "bytes", value: { bytesValue: "AQID" } },
                ],
                status: { code: 1 },
              },
              {
                traceId: TRACE,
                spanId: CHILD,
                parentSpanId: ROOT,
                name: "chat gpt-4o",
                kind: 3,
                startTimeUnixNano: "1763845200100000000",
                endTimeUnixNano: "1763845201000000000",
                attributes: [
                  { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
                  { key: "gen_ai.usage.input_tokens", value: { intValue: "12" } },
                  { key: "fallom.tags", value: { arrayValue: { values: [{ stringValue: "beta" }] } } },
                ],
                status: { code: 2, message: "boom" },
                events: [
                  {
                    name: "exception",
                    timeUnixNano: "1763845200900000000",
                    attributes: [
                      { key: "exception.type", value: { stringValue: "Error" } },
                      { key: "exception.message", value: { stringValue: "boom" } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

function withSpan(mutate: (span: Record<string, unknown>) => void): Record<string, unknown> {
  const p = payload() as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  mutate(p.resourceSpans[0]!.scopeSpans[0]!.spans[0]!);
  return p;
}

function post(c: Collector, body: BodyInit, headers: Record<string, string> = {}, init: RequestInit = {}) {
  return fetch(`${c.url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    ...init,
  });
}

function postJson(c: Collector, value: unknown, init: RequestInit = {}) {
  return post(c, JSON.stringify(value), {}, init);
}

describe("collector stand-in", () => {
  it("binds 127.0.0.1 on an ephemeral port, answers /health, and exposes collectorEnv", async () => {
    const c = await collector();
    expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${c.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(c.requests).toHaveLength(0); // health checks are not recorded
    expect(collectorEnv(c)).toEqual({ FALLOM_TEST_COLLECTOR: c.url });
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === "IPv4" && !i.internal);
  it.skipIf(external === undefined)("is not reachable on a non-loopback interface", async () => {
    const c = await collector();
    const port = new URL(c.url).port;
    await expect(fetch(`http://${external!.address}:${port}/health`)).rejects.toThrow(TypeError);
  });

  it("answers 200 by default and decodes every AnyValue type, events, status, scope and resource", async () => {
    const c = await collector();
    const res = await post(c, JSON.stringify(payload()), { authorization: "Bearer sk-test", "X-Custom": "1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});

    expect(c.requests).toHaveLength(1);
    const r = c.requests[0]!;
    expect(r).toMatchObject({ method: "POST", path: "/v1/traces", gzip: false, behavior: "200", status: 200 });
    expect(r.headers.authorization).toBe("Bearer sk-test");
    expect(r.headers["x-custom"]).toBe("1");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json).toEqual(payload());
    expect(r.error).toBeUndefined();
    expect(typeof r.at).toBe("number");

    const [root, child] = c.spans();
    const resource = { "service.name": "checkout", "telemetry.sdk.name": "@fallom/trace", "telemetry.sdk.language": "webjs" };
    expect(root).toEqual({
      traceId: TRACE,
      spanId: ROOT,
      name: "agent run",
      kind: 1,
      startTimeUnixNano: T0,
      endTimeUnixNano: "1763845201500000000",
      attributes: {
        s: "hello ✓",
        b: true,
        i_str: 42,
        i_num: -7,
        d: 0.25,
        d_int: 3,
        arr: ["a", 1],
        empty_arr: [],
        kv: { x: false, nested: { y: 1.5 } },
        bytes: "AQID",
      },
      status: { code: 1 },
      events: [],
      resource,
      scope: { name: "@fallom/trace", version: "0.1.0" },
    });
    expect(root).not.toHaveProperty("parentSpanId"); // "" means no parent
    expect(child).toEqual({
      traceId: TRACE,
      spanId: CHILD,
      parentSpanId: ROOT,
      name: "chat gpt-4o",
      kind: 3,
      startTimeUnixNano: "1763845200100000000",
      endTimeUnixNano: "1763845201000000000",
      attributes: { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 12, "fallom.tags": ["beta"] },
      status: { code: 2, message: "boom" },
      events: [
        {
          name: "exception",
          timeUnixNano: "1763845200900000000",
          attributes: { "exception.type": "Error", "exception.message": "boom" },
        },
      ],
      resource,
      scope: { name: "@fallom/trace", version: "0.1.0" },
    });
    expect(c.spans()).toHaveLength(2);
  });

  it("decodes a gzip body identically and keeps the raw compressed bytes", async () => {
    const c = await collector();
    const json = JSON.stringify(payload());
    const gz = gzipSync(Buffer.from(json));
    const res = await post(c, new Uint8Array(gz), { "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    await postJson(c, payload());
    const [zipped, plain] = c.requests;
    expect(zipped!.gzip).toBe(true);
    expect(Buffer.from(zipped!.raw).equals(gz)).toBe(true);
    expect(zipped!.text).toBe(json);
    expect(zipped!.spans).toEqual(plain!.spans);
    expect(zipped!.spans).toHaveLength(2);
  });

  it("follows the script in order (503 then 200), then falls back to the default", async () => {
    const c = await collector();
    c.enqueue({ status: 503, body: "busy" }, { status: 200, body: '{"partialSuccess":{}}' });
    const r1 = await postJson(c, payload());
    expect(r1.status).toBe(503);
    expect(await r1.text()).toBe("busy");
    const r2 = await postJson(c, payload());
    expect(r2.status).toBe(200);
    expect(await r2.json()).toEqual({ partialSuccess: {} });
    c.setDefault({ status: 504 });
    const r3 = await postJson(c, payload());
    expect(r3.status).toBe(504);
    await r3.arrayBuffer();
    expect(c.requests.map((r) => r.behavior)).toEqual(["503", "200", "504"]);
    expect(c.spans()).toHaveLength(2); // only the 2xx request counts
    expect(c.allSpans()).toHaveLength(6);
  });

  it("passes Retry-After and other scripted headers through", async () => {
    const c = await collector();
    c.enqueue({ status: 429, headers: { "Retry-After": "7" } });
    c.enqueue({ status: 503, headers: { "retry-after": "Wed, 21 Oct 2037 07:28:00 GMT" } });
    const r1 = await postJson(c, payload());
    expect(r1.status).toBe(429);
    expect(r1.headers.get("retry-after")).toBe("7");
    await r1.body?.cancel();
    const r2 = await postJson(c, payload());
    expect(r2.headers.get("retry-after")).toBe("Wed, 21 Oct 2037 07:28:00 GMT");
    await r2.body?.cancel();
  });

  it("delays a scripted response by delayMs", async () => {
    const c = await collector();
    c.enqueue({ status: 200, body: "{}", delayMs: 150 });
    const t = performance.now();
    const res = await postJson(c, payload());
    expect(res.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(100);
    await res.arrayBuffer();
  });

  it("hang: the client times out, other requests still work, and close() finishes promptly", async () => {
    const c = await collector();
    c.enqueue({ hang: true });
    const err = await postJson(c, payload(), { signal: AbortSignal.timeout(200) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(["AbortError", "TimeoutError"]).toContain((err as Error).name);
    expect(c.requests[0]!.behavior).toBe("hang");
    expect(c.requests[0]!.status).toBeUndefined();
    expect(c.spans()).toHaveLength(0);
    expect(c.allSpans()).toHaveLength(2);

    // A second hung request still open while the collector closes.
    c.enqueue({ hang: true });
    const pending = postJson(c, payload()).catch((e: unknown) => e);
    await c.waitForRequests(2);
    const ok = await postJson(c, payload());
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const closed = c.close().then(() => "closed");
    const guard = new Promise((r) => setTimeout(() => r("stuck"), 3000));
    expect(await Promise.race([closed, guard])).toBe("closed");
    expect(await pending).toBeInstanceOf(TypeError); // the hung client sees the connection drop
  });

  it("close() cancels a pending delayed response", async () => {
    const c = await collector();
    c.enqueue({ status: 200, delayMs: 60_000 });
    const pending = postJson(c, payload()).catch((e: unknown) => e);
    await c.waitForRequests(1);
    await c.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });

  it("reset: fetch rejects with a TypeError after the request was read", async () => {
    const c = await collector();
    c.enqueue({ reset: true });
    await expect(postJson(c, payload())).rejects.toThrow(TypeError);
    expect(c.requests[0]!.behavior).toBe("reset");
    expect(c.requests[0]!.spans).toHaveLength(2); // fully read, then dropped
    expect(c.spans()).toHaveLength(0);
    // The collector keeps working afterwards.
    const res = await postJson(c, payload());
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("resetMidBody: a large streaming upload is cut off and fetch rejects", async () => {
    const c = await collector();
    c.enqueue({ resetMidBody: true });
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64 * 1024 * 1024) {
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    await expect(post(c, body, {}, { duplex: "half" } as RequestInit)).rejects.toThrow(TypeError);
    await c.waitForRequests(1);
    const r = c.requests[0]!;
    expect(r.behavior).toBe("resetMidBody");
    expect(r.spans).toEqual([]);
    expect(r.raw.byteLength).toBeLessThan(64 * 1024 * 1024);
    const res = await postJson(c, payload());
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("records a client that gives up mid-upload as 'aborted'", async () => {
    const c = await collector();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"resourceSpans":['));
        // never closes: the upload stalls until the client aborts
      },
    });
    const err = await post(c, body, {}, { duplex: "half", signal: AbortSignal.timeout(150) } as RequestInit).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(["AbortError", "TimeoutError"]).toContain(err?.name);
    const [r] = await c.waitForRequests(1);
    expect(r).toMatchObject({ behavior: "aborted", spans: [], text: '{"resourceSpans":[' });
    expect(r!.status).toBeUndefined();
    expect(c.spans()).toEqual([]);
  });

  it("rate limit: beyond N requests per second answers 429 with Retry-After: 1", async () => {
    const c = await collector();
    c.enqueue({ status: 202 }); // a throttled request must not consume the script
    c.setRateLimit(2);
    const statuses: number[] = [];
    const retryAfter: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const res = await postJson(c, payload());
      statuses.push(res.status);
      retryAfter.push(res.headers.get("retry-after"));
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([202, 200, 429]);
    expect(retryAfter[2]).toBe("1");
    expect(c.requests[2]).toMatchObject({ behavior: "429", auto: "rate-limit" });
    c.setRateLimit(undefined);
    const res = await postJson(c, payload());
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("maxBodyBytes: answers 413 when the decoded body is too large (gzip included)", async () => {
    const small = JSON.stringify(payload());
    const c = await collector({ maxBodyBytes: small.length + 10 });
    const ok = await post(c, small);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const big = withSpan((s) => {
      (s.attributes as unknown[]).push({ key: "pad", value: { stringValue: "x".repeat(5000) } });
    });
    const tooBig = await postJson(c, big);
    expect(tooBig.status).toBe(413);
    await tooBig.arrayBuffer();

    const gz = gzipSync(Buffer.from(JSON.stringify(big)));
    expect(gz.byteLength).toBeLessThan(small.length); // small on the wire, large decoded
    const tooBigZipped = await post(c, new Uint8Array(gz), { "content-encoding": "gzip" });
    expect(tooBigZipped.status).toBe(413);
    await tooBigZipped.arrayBuffer();

    expect(c.requests.map((r) => r.auto)).toEqual([undefined, "too-large", "too-large"]);
    expect(c.spans()).toHaveLength(2);
  });

  it("dedupes spans() on (traceId, spanId) while allSpans() keeps duplicates", async () => {
    const c = await collector();
    for (let i = 0; i < 2; i++) {
      const res = await postJson(c, payload());
      await res.arrayBuffer();
    }
    const other = withSpan((s) => {
      s.traceId = TRACE2; // same spanId in another trace is a different span
    });
    await (await postJson(c, other)).arrayBuffer();
    expect(c.allSpans()).toHaveLength(6);
    expect(c.spans().map((s) => `${s.traceId}/${s.spanId}`)).toEqual([
      `${TRACE}/${ROOT}`,
      `${TRACE}/${CHILD}`,
      `${TRACE2}/${ROOT}`,
    ]);
    await expect(c.waitForSpans(3, 1000)).resolves.toHaveLength(3);
  });

  it("answers 400 for invalid gzip, invalid JSON and malformed OTLP, unless scripted otherwise", async () => {
    const c = await collector();
    const badGzip = await post(c, "not gzip", { "content-encoding": "gzip" });
    expect(badGzip.status).toBe(400);
    await badGzip.arrayBuffer();
    const badJson = await post(c, "{nope");
    expect(badJson.status).toBe(400);
    await badJson.arrayBuffer();
    const badOtlp = await postJson(c, withSpan((s) => (s.traceId = TRACE.toUpperCase())));
    expect(badOtlp.status).toBe(400);
    expect(((await badOtlp.json()) as { error: string }).error).toMatch(/traceId/);

    c.enqueue({ status: 200 });
    const scripted = await post(c, "{nope");
    expect(scripted.status).toBe(200);
    await scripted.arrayBuffer();

    for (const r of c.requests) {
      expect(r.json === undefined || r.path === "/v1/traces").toBe(true);
      expect(r.spans).toEqual([]);
      expect(r.error).toBeTruthy();
    }
    expect(c.requests[0]!.json).toBeUndefined();
    expect(c.requests[0]!.error).toMatch(/gzip/);
    expect(c.requests[1]!.error).toMatch(/JSON/);
    expect(c.requests.map((r) => r.auto)).toEqual(["invalid", "invalid", "invalid", undefined]);
  });

  it("route(): fixed answers for other endpoints, without consuming the script", async () => {
    const c = await collector();
    c.route("GET", "/configs", { status: 200, body: JSON.stringify({ configs: [] }) });
    c.route("POST", "/sessions", (req) => ({ status: req.json === undefined ? 400 : 204 }));
    c.enqueue({ status: 503 });
    const cfg = await fetch(`${c.url}/configs?x=1`);
    expect(await cfg.json()).toEqual({ configs: [] });
    const sess = await fetch(`${c.url}/sessions`, { method: "POST", body: JSON.stringify({ session_id: "s" }) });
    expect(sess.status).toBe(204);
    const traces = await postJson(c, payload());
    expect(traces.status).toBe(503);
    await traces.arrayBuffer();
    expect(c.requests.map((r) => `${r.method} ${r.path}${r.query} ${r.behavior}`)).toEqual([
      "GET /configs?x=1 200",
      "POST /sessions 204",
      "POST /v1/traces 503",
    ]);
    await expect(c.waitForRequests(1, 1000, "/v1/traces")).resolves.toHaveLength(1);
  });

  it("waitForSpans rejects on timeout with a message listing what arrived", async () => {
    const c = await collector();
    c.enqueue({ status: 503 });
    await (await postJson(c, payload())).arrayBuffer();
    await (await post(c, "{nope")).arrayBuffer();
    const err = await c.waitForSpans(5, 100).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain("waitForSpans(5) timed out after 100 ms");
    expect(err!.message).toContain("got 0 accepted unique span(s) (2 total) from 2 request(s)");
    expect(err!.message).toContain("POST /v1/traces -> 503");
    expect(err!.message).toContain("[agent run, chat gpt-4o]");
    expect(err!.message).toMatch(/-> 400 \(invalid\).*error: invalid JSON/);
    await expect(c.waitForRequests(3, 50)).rejects.toThrow(/waitForRequests\(3\) timed out/);
  });

  it("keeps real time under vi.useFakeTimers() (delays, waits, rate-limit window)", async () => {
    const c = await collector();
    // node:http rather than fetch, so only the collector's own timing is under test.
    const send = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${c.url}/v1/traces`, { method: "POST" }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify(payload()));
      });
    vi.useFakeTimers();
    c.enqueue({ status: 200, delayMs: 50 });
    expect(await send()).toBe(200);
    await expect(c.waitForRequests(1, 1000)).resolves.toHaveLength(1);
    await expect(c.waitForSpans(5, 100)).rejects.toThrow(/timed out after 100 ms/);
    c.setRateLimit(1);
    expect(await send()).toBe(200);
    expect(await send()).toBe(429);
    await realSleep(1100);
    expect(await send()).toBe(200);
  });

  it("reset() clears requests, script, default and rate limit", async () => {
    const c = await collector();
    const requests = c.requests;
    await (await postJson(c, payload())).arrayBuffer();
    c.enqueue({ status: 500 });
    c.setDefault({ status: 503 });
    c.setRateLimit(0);
    c.reset();
    expect(c.requests).toHaveLength(0);
    expect(c.requests).toBe(requests); // same array, so held references stay live
    const res = await postJson(c, payload());
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await expect(c.waitForSpans(2, 1000)).resolves.toHaveLength(2);
  });
});

describe("decodeOtlp", () => {
  it("accepts the reference payload and an empty request", () => {
    expect(decodeOtlp(payload())).toHaveLength(2);
    expect(decodeOtlp({ resourceSpans: [] })).toEqual([]);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ["missing resourceSpans", () => ({}), /resourceSpans.*missing/],
    ["non-object body", () => "[]", /\$: expected an object/],
    ["uppercase traceId", () => withSpan((s) => (s.traceId = TRACE.toUpperCase())), /traceId: expected 32 lowercase hex/],
    ["short traceId", () => withSpan((s) => (s.traceId = TRACE.slice(2))), /traceId/],
    ["all-zero traceId", () => withSpan((s) => (s.traceId = "0".repeat(32))), /traceId: id must not be all zeros/],
    ["base64 traceId", () => withSpan((s) => (s.traceId = "W47/95gDgQPSabYzgT/GDA==")), /traceId/],
    ["17-char spanId", () => withSpan((s) => (s.spanId = `${ROOT}0`)), /spanId: expected 16 lowercase hex/],
    ["all-zero spanId", () => withSpan((s) => (s.spanId = "0".repeat(16))), /spanId/],
    ["bad parentSpanId", () => withSpan((s) => (s.parentSpanId = "xyz")), /parentSpanId/],
    ["numeric start nanos", () => withSpan((s) => (s.startTimeUnixNano = 1763845200000000000)), /startTimeUnixNano: expected nanoseconds as a decimal string, got number/],
    ["fractional nanos", () => withSpan((s) => (s.endTimeUnixNano = "1763845201500000000.5")), /endTimeUnixNano/],
    ["ms instead of ns", () => withSpan((s) => (s.startTimeUnixNano = "1763845200000")), /likely ms/],
    ["end before start", () => withSpan((s) => (s.endTimeUnixNano = "1763845100000000000")), /before start/],
    ["missing name", () => withSpan((s) => delete s.name), /name: expected a string/],
    ["kind out of range", () => withSpan((s) => (s.kind = 9)), /kind/],
    ["empty AnyValue", () => withSpan((s) => (s.attributes = [{ key: "k", value: {} }])), /empty AnyValue/],
    ["two AnyValue fields", () => withSpan((s) => (s.attributes = [{ key: "k", value: { stringValue: "a", intValue: "1" } }])), /more than one/],
    ["non-integer intValue", () => withSpan((s) => (s.attributes = [{ key: "k", value: { intValue: "1.5" } }])), /intValue/],
    ["duplicate attribute key", () => withSpan((s) => (s.attributes = [{ key: "k", value: { boolValue: true } }, { key: "k", value: { boolValue: false } }])), /duplicate attribute key/],
    ["lone surrogate", () => withSpan((s) => (s.attributes = [{ key: "k", value: { stringValue: "a\ud800b" } }])), /lone surrogate/],
    ["bad event time", () => withSpan((s) => (s.events = [{ name: "e", timeUnixNano: 5 }])), /events\[0\]\.timeUnixNano/],
    ["status code as string", () => withSpan((s) => (s.status = { code: "STATUS_CODE_ERROR" })), /status\.code/],
  ];
  it.each(bad)("throws a clear error on %s", (_label, make, message) => {
    let err: unknown;
    try {
      decodeOtlp(make());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OtlpDecodeError);
    expect((err as Error).message).toMatch(/^Malformed OTLP at \$/);
    expect((err as Error).message).toMatch(message);
  });

  it("accepts old timestamps when minTimeUnixNano is lowered", () => {
    const body = withSpan((s) => {
      s.startTimeUnixNano = "1000";
      s.endTimeUnixNano = "2000";
    });
    expect(() => decodeOtlp(body)).toThrow(/likely ms/);
    expect(decodeOtlp(body, { minTimeUnixNano: 0n })[0]!.startTimeUnixNano).toBe("1000");
  });
});
