// The Hono middleware in-process (Node): SERVER span semantics (OTel HTTP names), traceparent continuation, the
// session on the context, nesting without AsyncLocalStorage, and a flush handed to waitUntil only after the body.
import { generateText, streamText } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { fallomHono } from "../../../src/integrations/hono/index";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

// no AsyncLocalStorage: nesting must come from the session's default parent
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
const model = () =>
  new MockLanguageModelV4({
    modelId: "mock",
    doGenerate: async () => ({ content: [{ type: "text", text: "hello" }], finishReason: finish, usage, warnings: [] }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(c) {
          for (const p of [
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "hel" },
            { type: "text-delta", id: "t", delta: "lo" },
            { type: "text-end", id: "t" },
            { type: "finish", usage, finishReason: finish },
          ])
            c.enqueue(p);
          c.close();
        },
      }),
    }),
  });

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const REMOTE_PARENT = "b7ad6b7169203331";

function app() {
  const a = new Hono();
  a.use(
    fallomHono({
      session: (c) => ({ sessionId: c.req.header("x-session") ?? "anon", customerId: c.req.header("x-user"), tags: ["hono"] }),
    }),
  );
  a.get("/users/:id", async (c) => {
    const session = c.get("fallom");
    await session.trace("load user", async () => 1);
    const { text } = await generateText({ model: session.traceModel(model()), prompt: "hi" });
    return c.json({ id: c.req.param("id"), text });
  });
  a.get("/stream", (c) => streamText({ model: c.get("fallom").traceModel(model()), prompt: "hi" }).toTextStreamResponse());
  a.get("/slow-stream", (c) =>
    stream(c, async (s) => {
      for (let i = 0; i < 50; i++) {
        await s.write("chunk " + i + "\n");
        await s.sleep(5);
      }
    }),
  );
  a.get("/boom", () => {
    throw new TypeError("bad input");
  });
  a.get("/unavailable", (c) => c.text("later", 503));
  return a;
}

const server = (spans: DecodedSpan[]) => {
  const found = spans.filter((s) => s.kind === 2);
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** An ExecutionContext that records when waitUntil was called and what it was given */
function executionCtx() {
  const given: Promise<unknown>[] = [];
  return { given, waitUntil: (p: Promise<unknown>) => void given.push(p), passThroughOnException() {}, props: {} };
}

it("a SERVER span with method, route, status and duration continues the incoming traceparent; handler spans nest under it", async () => {
  const ctx = executionCtx();
  const res = await app().request(
    "http://api.test/users/42",
    { headers: { traceparent: `00-${TRACE}-${REMOTE_PARENT}-01`, "x-session": "s-1", "x-user": "u-1", "user-agent": "vitest" } },
    {},
    ctx,
  );
  expect(await res.json()).toEqual({ id: "42", text: "hello" });
  expect(ctx.given).toHaveLength(1);
  await Promise.all(ctx.given);
  // the request's own waitUntil delivered everything: no other flush ran
  const spans = sdk.collector.spans();
  expect(spans).toHaveLength(3);
  const s = server(spans);
  expect(s.name).toBe("GET /users/:id");
  expect([s.traceId, s.parentSpanId]).toEqual([TRACE, REMOTE_PARENT]);
  expect(s.attributes).toMatchObject({
    "fallom.span.type": "http",
    "http.request.method": "GET",
    "http.route": "/users/:id",
    "http.response.status_code": 200,
    "url.path": "/users/42",
    "url.scheme": "http",
    "server.address": "api.test",
    "user_agent.original": "vitest",
    "session.id": "s-1",
    "user.id": "u-1",
    "fallom.tags": ["hono"],
  });
  expect(s.attributes["error.type"]).toBeUndefined();
  expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano));
  for (const child of spans.filter((x) => x !== s)) {
    expect([child.traceId, child.parentSpanId], child.name).toEqual([TRACE, s.spanId]);
    expect(child.attributes["session.id"]).toBe("s-1");
  }
});

it("a streamed AI SDK answer: the flush starts only once the body has been read, and covers the llm span", async () => {
  const ctx = executionCtx();
  const res = await app().request("http://api.test/stream", {}, {}, ctx);
  let flushed = false;
  void Promise.all(ctx.given).then(() => (flushed = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(flushed).toBe(false); // the body is still unread
  expect(sdk.collector.spans()).toHaveLength(0);
  expect(await res.text()).toBe("hello");
  await Promise.all(ctx.given);
  const spans = sdk.collector.spans();
  const s = server(spans);
  expect(s.name).toBe("GET /stream");
  const llm = spans.find((x) => x.name === "chat mock")!;
  expect([llm.traceId, llm.parentSpanId]).toEqual([s.traceId, s.spanId]);
  expect(llm.attributes["gen_ai.usage.output_tokens"]).toBe(5);
  // the SERVER span lasts until the body was sent
  expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(llm.endTimeUnixNano));
});

it("a client that cancels mid-stream: the SERVER span ends as cancelled and is still delivered", async () => {
  const ctx = executionCtx();
  const res = await app().request("http://api.test/slow-stream", {}, {}, ctx);
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel("client went away");
  await Promise.all(ctx.given);
  const s = server(sdk.collector.spans());
  expect(s.attributes["fallom.stream.cancelled"]).toBe(true);
  expect(s.attributes["http.response.status_code"]).toBe(200);
});

it("a thrown error: status 500, error.type, exception event; a 503 without exception: error.type is the status", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {}); // Hono's default onError logs the error
  const ctx = executionCtx();
  // a server reads every body: the span ends (and the flush starts) once it has been sent
  const boomRes = await app().request("http://api.test/boom", {}, {}, ctx);
  expect([boomRes.status, await boomRes.text()]).toEqual([500, "Internal Server Error"]);
  const unavailableRes = await app().request("http://api.test/unavailable", {}, {}, ctx);
  expect([unavailableRes.status, await unavailableRes.text()]).toEqual([503, "later"]);
  await Promise.all(ctx.given);
  const spans = sdk.collector.spans();
  const boom = spans.find((s) => s.name === "GET /boom")!;
  expect(boom.attributes).toMatchObject({ "http.response.status_code": 500, "error.type": "TypeError" });
  expect(boom.status?.code).toBe(2);
  expect(boom.events[0]!.attributes["exception.message"]).toBe("bad input");
  const unavailable = spans.find((s) => s.name === "GET /unavailable")!;
  expect(unavailable.attributes).toMatchObject({ "http.response.status_code": 503, "error.type": "503" });
  expect(unavailable.status?.code).toBe(2);
  logged.mockRestore();
});

it("no route matched (404): no http.route, the span is named by the method only, not an error", async () => {
  const ctx = executionCtx();
  const res = await app().request("http://api.test/nope", {}, {}, ctx);
  expect([res.status, await res.text()]).toEqual([404, "404 Not Found"]);
  await Promise.all(ctx.given);
  const s = server(sdk.collector.spans());
  expect(s.name).toBe("GET");
  expect(s.attributes["http.route"]).toBeUndefined();
  expect(s.attributes["http.response.status_code"]).toBe(404);
  expect(s.status?.code ?? 0).not.toBe(2);
});

it("no waitUntil (Node / Bun / Deno servers): the flush runs in the background after the body, the response is not delayed", async () => {
  const res = await app().request("http://api.test/stream");
  expect(await res.text()).toBe("hello");
  const spans = await sdk.collector.waitForSpans(2, 5000);
  expect(spans.map((s) => s.name).sort()).toEqual(["GET /stream", "chat mock"]);
});

it("a session callback that throws: the request is still served and traced (no session attributes)", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const a = new Hono();
  a.use(
    fallomHono({
      session: () => {
        throw new Error("no auth");
      },
    }),
  );
  a.get("/", (c) => c.text("ok"));
  const ctx = executionCtx();
  expect(await (await a.request("http://api.test/", {}, {}, ctx)).text()).toBe("ok");
  await Promise.all(ctx.given);
  expect(server(sdk.collector.spans()).attributes["session.id"]).toBeUndefined();
  expect(warn.mock.calls.flat().join(" ")).toMatch(/fallomHono\(\{ session \}\) threw/);
  warn.mockRestore();
});
