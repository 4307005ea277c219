// worker-example/next-edge as users run it: `next build` (Turbopack) then `next start` on 127.0.0.1, its edge routes
// streaming an AI SDK answer through a traced model, the SDK consumed from this repo's dist/ (npm test builds it
// first), spans delivered to the local collector after each response: one route flushes with after(), the other
// relies on the `@next/request-context` waitUntil the SDK finds by itself. Built once per run (a warm .next/cache
// makes later builds faster).
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector as startD1Collector } from "../../demo/workers.mjs";
import type { StoredSpan, TraceDetail, TraceSummary } from "../../src/collector";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import { ROOT, runChild } from "./harness";

const APP = join(ROOT, "worker-example/next-edge");
const NEXT = join(ROOT, "node_modules/next/dist/bin/next");
// no network: Next's anonymous telemetry stays off
const ENV = { NEXT_TELEMETRY_DISABLED: "1" };

let collector: Collector;
let server: NextServer | undefined;
let base = "";

interface NextServer {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `next start` of the built app on a free 127.0.0.1 port, sending its spans to `collectorUrl` with `apiKey`. */
function startNext(collectorUrl: string, apiKey: string): Promise<NextServer> {
  const child = spawn(process.execPath, [NEXT, "start", APP, "-p", "0", "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, NO_COLOR: "1", FALLOM_BASE_URL: collectorUrl, FALLOM_API_KEY: apiKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  // -p 0 binds a free port; the "Local:" line says which
  return new Promise<NextServer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("next start did not print its URL within 30 s:\n" + text)), 30_000);
    const read = (d: Buffer) => {
      text += d;
      const url = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      if (url) clearTimeout(timer), resolve({ child, url, output: () => text });
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("exit", (code) => reject(new Error(`next start exited (${code}):\n${text}`)));
  });
}

async function stopNext(server: NextServer | undefined): Promise<void> {
  const child = server?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM"); // its own PID; next start runs as one process
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  const built = await runChild(process.execPath, [NEXT, "build", APP], { timeoutMs: 280_000, env: ENV });
  if (built.code !== 0) throw new Error(`next build failed (${built.code}${built.timedOut ? ", timed out" : ""}):\n${built.stdout}\n${built.stderr}`);
  collector = await startCollector();
  server = await startNext(collector.url, "next-edge-key");
  base = server.url;
}, 320_000);

afterAll(async () => {
  await stopNext(server);
  await collector?.close();
});

async function ask(route: "chat" | "auto", sessionId: string, url = base): Promise<{ text: string; edge: string | null; doneAt: number }> {
  const res = await fetch(`${url}/api/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt: `hello ${sessionId}`, sessionId }),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, edge: res.headers.get("x-edge-runtime"), doneAt: Date.now() };
}

const ofSession = (sessionId: string): DecodedSpan[] => collector.spans().filter((s) => s.attributes["session.id"] === sessionId);

// the llm span of one streamed call, as traceModel records it
function expectChatSpan(span: DecodedSpan, sessionId: string): void {
  expect(span.name).toBe("chat gpt-4o-mini");
  expect(span.attributes).toMatchObject({
    "session.id": sessionId,
    "user.id": "next-edge-user",
    "fallom.span.type": "llm",
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.request.stream": true,
    "gen_ai.usage.input_tokens": 12,
    "gen_ai.usage.output_tokens": 8,
  });
  expect(span.status?.code).not.toBe(2);
}

it("auto route, first request of a fresh server: the SDK's own waitUntil delivers the streamed call's span", async () => {
  const reply = await ask("auto", "next-auto-0");
  expect(reply.text).toBe("echo: hello next-auto-0");
  expect(reply.edge).toBe("edge-runtime"); // served by Next's edge sandbox, not Node
  const [span] = await collector.waitForSpans(1, 10_000);
  expectChatSpan(span!, "next-auto-0");
  const request = collector.requests.find((r) => r.path === "/v1/traces")!;
  // exported after the response, not before it (slack: on a loaded machine the client finishes reading the body a
  // little after the server wrote its last byte, and the export may start in between)
  expect(request.at).toBeGreaterThanOrEqual(reply.doneAt - 500);
  expect(request.headers.authorization).toBe("Bearer next-edge-key");
  expect(request.gzip).toBe(false); // Next's sandbox CompressionStream throws when constructed: plain JSON
});

it("chat route: after(() => fallom.flush()) delivers the streamed call's span", async () => {
  const reply = await ask("chat", "next-chat-0");
  expect(reply.text).toBe("echo: hello next-chat-0");
  expect(reply.edge).toBe("edge-runtime");
  await collector.waitForSpans(2, 10_000);
  const spans = ofSession("next-chat-0");
  expect(spans).toHaveLength(1);
  expectChatSpan(spans[0]!, "next-chat-0");
});

it("concurrent requests on both routes: every span arrives once, in its own session", async () => {
  const sessions = Array.from({ length: 8 }, (_, i) => [i % 2 ? "chat" : "auto", `next-many-${i}`] as const);
  const replies = await Promise.all(sessions.map(([route, sid]) => ask(route, sid)));
  replies.forEach((r, i) => expect(r.text).toBe(`echo: hello ${sessions[i]![1]}`));
  await collector.waitForSpans(2 + sessions.length, 15_000);
  for (const [, sid] of sessions) {
    const spans = ofSession(sid);
    expect(spans, sid).toHaveLength(1);
    expectChatSpan(spans[0]!, sid);
  }
  expect(collector.spans()).toHaveLength(2 + sessions.length);
});

it("the server printed no SDK warning and no error", () => {
  const output = server!.output();
  expect(output).not.toMatch(/\[fallom\]/);
  expect(output).not.toMatch(/\berror\b|unhandled|⨯/i);
});

// the same build served again, this time against the repo's own collector (workerd + D1, as `npm run demo` runs it)
describe("against the local D1 collector", () => {
  let d1: Awaited<ReturnType<typeof startD1Collector>>;
  let d1Server: NextServer | undefined;
  const api = async <T>(path: string): Promise<T> => (await fetch(d1.url + path)).json() as Promise<T>;

  beforeAll(async () => {
    d1 = await startD1Collector({ apiKey: "next-d1-key" });
    d1Server = await startNext(d1.url, "next-d1-key");
  }, 60_000);

  afterAll(async () => {
    await stopNext(d1Server);
    await d1?.dispose();
  });

  it("both routes' spans are stored and served by its JSON API: names, sessions, customer, tokens", async () => {
    const sessions = [["auto", "next-d1-auto"], ["chat", "next-d1-chat"]] as const;
    for (const [route, sid] of sessions) {
      const reply = await ask(route, sid, d1Server!.url);
      expect(reply.text).toBe(`echo: hello ${sid}`);
      expect(reply.edge).toBe("edge-runtime");
    }
    let traces: TraceSummary[] = [];
    for (const deadline = Date.now() + 10_000; traces.length < sessions.length && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
      traces = (await api<{ traces: TraceSummary[] }>("/api/traces")).traces;
    }
    expect(traces.map((t) => t.sessionId).sort()).toEqual(sessions.map(([, sid]) => sid).sort());
    for (const [, sid] of sessions) {
      const summary = traces.find((t) => t.sessionId === sid)!;
      expect(summary).toMatchObject({ name: "chat gpt-4o-mini", spans: 1, llmCalls: 1, errors: 0, inputTokens: 12, outputTokens: 8, customerId: "next-edge-user" });
      const { spans } = await api<TraceDetail>(`/api/traces/${summary.traceId}`);
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject<Partial<StoredSpan>>({
        name: "chat gpt-4o-mini",
        type: "llm",
        sessionId: sid,
        customerId: "next-edge-user",
        tokens: expect.objectContaining({ input: 12, output: 8 }),
      });
      expect(spans[0]!.attributes["gen_ai.request.stream"]).toBe(true);
    }
    expect(d1Server!.output()).not.toMatch(/\[fallom\]|\berror\b|unhandled|⨯/i);
    expect(d1.output.join("\n")).not.toMatch(/different request|Cannot perform I\/O|hung|uncaught/i);
  });
});
