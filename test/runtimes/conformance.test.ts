// One conformance scenario (scenario.ts), bundled with esbuild like users deploy it, run in every runtime:
// workerd (no flags / nodejs_als / nodejs_compat), edge-runtime (plain / Next-like / Vercel-like), Deno, Bun, Node 22.
// Each run asserts what the local collector decoded: the span tree, attributes, errors, resource, encoding.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import {
  bundle,
  CLI_SCENARIO_ENTRY,
  EDGE_SCENARIO_ENTRY,
  parseSummary,
  runBun,
  runDeno,
  runEdgeRuntime,
  runNode,
  SDK_VERSION,
  tempDir,
  WORKER_SCENARIO_ENTRY,
  workerdScenario,
  type ChildResult,
  type EdgeProfile,
} from "./harness";
import { EXPECTED_SPAN_NAMES, type ScenarioOptions, type ScenarioSummary } from "./scenario";

let collector: Collector;
let workerScript: string;
let edgeScript: string;
let cliFile: string;
let cliScript: string;
let tmp: ReturnType<typeof tempDir>;
let runs = 0;

// The Next-like / Vercel-like hosts also answer /stats, to read the SDK's counters after waitUntil.
const EDGE_ENTRY_WITH_STATS = `
import fallom from "@fallom/trace";
${EDGE_SCENARIO_ENTRY.replace('addEventListener("fetch", (event) => {', `addEventListener("fetch", (event) => {
  if (new URL(event.request.url).pathname === "/stats") return event.respondWith(Response.json(fallom.stats()));`)}`;

beforeAll(async () => {
  collector = await startCollector();
  [workerScript, edgeScript, cliFile] = await Promise.all([
    bundle({ contents: WORKER_SCENARIO_ENTRY }, "esm"),
    bundle({ contents: EDGE_ENTRY_WITH_STATS }, "iife"),
    bundle({ contents: CLI_SCENARIO_ENTRY }, "esm").then((text) => {
      tmp = tempDir();
      cliScript = text;
      return tmp.write("scenario.mjs", text);
    }),
  ]);
});

afterAll(async () => {
  tmp?.remove();
  await collector?.close();
});

function options(runtime: string, extra: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { url: collector.url, runtime, runId: `run-${++runs}-${runtime}`, ...extra };
}

const spansOf = (runId: string): DecodedSpan[] => collector.spans().filter((s) => s.attributes["session.id"] === runId);
const allSpansOf = (runId: string): DecodedSpan[] =>
  collector.allSpans().filter((s) => s.attributes["session.id"] === runId);
const requestsOf = (runId: string) =>
  collector.requests.filter((r) => r.path === "/v1/traces" && r.spans.some((s) => s.attributes["session.id"] === runId));

const TYPES: Record<string, string> = {
  request: "agent",
  retrieve: "retrieval",
  embed: "llm",
  implicit: "custom",
  plan: "agent",
  "tool-call": "tool",
  failing: "tool",
  evaluation: "evaluation",
  traceMetrics: "metric",
  sessionMetrics: "metric",
  chat: "llm",
};

const OPERATIONS: Record<string, string> = { llm: "chat", tool: "execute_tool", agent: "invoke_agent", retrieval: "retrieval" };

interface Expect {
  /** implicit nesting through AsyncLocalStorage */
  als: boolean;
  /** bodies gzip-encoded (CompressionStream works) */
  gzip: boolean;
  /** the scenario flushed itself (else: the platform's waitUntil did) */
  flushed?: boolean;
}

/** Everything the collector must have received from one scenario run. */
function assertConformance(summary: ScenarioSummary, want: Expect): void {
  const { runId, runtime, ids } = summary;
  const label = `${runtime} (${runId})`;
  const e = summary.env;
  console.log(
    `[conformance] ${runtime}: implicit nesting (ALS) ${summary.als ? "yes" : "no"}, gzip ${requestsOf(runId).every((r) => r.gzip) ? "yes" : "no"}` +
      ` | CompressionStream ${e.compressionStream}, global AsyncLocalStorage ${e.asyncLocalStorageGlobal}, process ${e.process}`,
  );

  // what the scenario saw
  expect(summary.caught, label).toBe("boom");
  expect(summary.returned, label).toBe("done");
  expect(summary.endTwiceFalse, label).toBe(true);
  expect(summary.openWhileRunning, label).toBeGreaterThanOrEqual(3); // request, plan, tool-call open
  expect(summary.openAfter, label).toBe(0);
  expect(summary.als, `${label}: implicit nesting through AsyncLocalStorage`).toBe(want.als);

  // exactly the expected spans, each once
  const spans = spansOf(runId);
  expect(spans.map((s) => s.name).sort(), label).toEqual([...EXPECTED_SPAN_NAMES].sort());
  expect(allSpansOf(runId), `${label}: no span delivered twice`).toHaveLength(EXPECTED_SPAN_NAMES.length);

  // delivery counters agree with what arrived
  if (want.flushed !== false) {
    expect(summary.flush, label).toMatchObject({ sent: spans.length, dropped: 0, pending: 0, timedOut: false });
  }
  if (want.flushed !== false) expect(summary.stats.sent, label).toBe(spans.length);

  // encoding: gzip exactly where CompressionStream really works; bodies were valid and accepted
  const requests = requestsOf(runId);
  expect(requests.length, label).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.gzip, `${label}: content-encoding gzip`).toBe(want.gzip);
    expect(r.status, label).toBe(200);
    expect(r.error, label).toBeUndefined();
    expect(r.headers.authorization, label).toBe("Bearer conformance-key");
    expect(r.headers["content-type"], label).toMatch(/^application\/json/);
    // every runtime here lets fetch send the SDK's User-Agent (browsers may replace it with their own)
    expect(r.headers["user-agent"], `${label}: user-agent`).toBe("fallom-trace-js/" + SDK_VERSION);
  }

  // ids reported by the scenario are the ones on the wire
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const get = (key: string): DecodedSpan => {
    const s = byId.get(ids[key]!.spanId);
    expect(s, `${label}: span ${key}`).toBeDefined();
    expect(s!.traceId).toBe(ids[key]!.traceId);
    expect(s!.parentSpanId).toBe(ids[key]!.parentSpanId);
    expect(s!.attributes["fallom.span.type"], `${label}: ${key} type`).toBe(TYPES[key]);
    expect(s!.kind, `${label}: ${key} kind`).toBe(TYPES[key] === "llm" ? 3 : 1);
    // manual GenAI spans carry the semconv operation of their type
    expect(s!.attributes["gen_ai.operation.name"], `${label}: ${key} operation`).toBe(OPERATIONS[TYPES[key]!]);
    expect(BigInt(s!.endTimeUnixNano) >= BigInt(s!.startTimeUnixNano), `${label}: ${key} end >= start`).toBe(true);
    return s!;
  };
  const s = Object.fromEntries(Object.keys(TYPES).map((k) => [k, get(k)])) as Record<string, DecodedSpan>;

  // tree: 3 levels by callbacks (request > retrieve > embed) and by handles (request > plan > tool-call)
  const childOf = (child: string, parent: string) => {
    expect(s[child]!.parentSpanId, `${label}: ${child} is a child of ${parent}`).toBe(s[parent]!.spanId);
    expect(s[child]!.traceId, `${label}: ${child} in ${parent}'s trace`).toBe(s[parent]!.traceId);
  };
  childOf("retrieve", "request");
  childOf("embed", "retrieve");
  childOf("plan", "request");
  childOf("tool-call", "plan");
  childOf("failing", "request");
  childOf("evaluation", "request");
  if (want.als) childOf("implicit", "embed");
  else expect(s.implicit!.parentSpanId, `${label}: without ALS, a parentless span starts its own trace`).toBeUndefined();
  const roots = ["request", "traceMetrics", "sessionMetrics", "chat", ...(want.als ? [] : ["implicit"])];
  for (const r of roots) expect(s[r]!.parentSpanId, `${label}: ${r} is a root`).toBeUndefined();
  expect(new Set(roots.map((r) => s[r]!.traceId)).size, `${label}: each root its own trace`).toBe(roots.length);

  // session attributes on every span of the session; trace.span() carries the ones it was given
  const sessionAttrs = {
    "session.id": runId,
    "gen_ai.conversation.id": runId,
    "user.id": "cust-" + runId,
    "fallom.config_key": "conformance",
    "fallom.tags": ["conformance", runtime],
    "fallom.metadata.runtime": runtime,
    "fallom.metadata.plan": "pro",
  };
  for (const [key, span] of Object.entries(s)) {
    if (key === "traceMetrics") {
      expect(span.attributes, label).toMatchObject({ "session.id": runId, "fallom.config_key": "conformance" });
      expect(span.attributes["user.id"], label).toBeUndefined();
    } else expect(span.attributes, `${label}: session attributes on ${key}`).toMatchObject(sessionAttrs);
    // resource
    expect(span.resource, `${label}: resource of ${key}`).toMatchObject({
      "service.name": "conformance",
      "telemetry.sdk.name": "@fallom/trace",
      // semconv: "nodejs" on Node itself, "webjs" on the Web-API runtimes
      "telemetry.sdk.language": runtime === "node" ? "nodejs" : "webjs",
      "telemetry.sdk.version": SDK_VERSION,
    });
    expect(span.scope?.name).toBe("@fallom/trace");
  }

  // errors: callback throw and explicit setError → status 2 + exception event
  for (const [key, type, message] of [
    ["failing", "TypeError", "boom"],
    ["tool-call", "RangeError", "bad tool input"],
  ] as const) {
    const span = s[key]!;
    expect(span.status, `${label}: ${key} status`).toEqual({ code: 2, message });
    expect(span.attributes["error.type"], `${label}: ${key} error.type`).toBe(type);
    const ex = span.events.find((e) => e.name === "exception");
    expect(ex, `${label}: ${key} exception event`).toBeDefined();
    expect(ex!.attributes["exception.type"]).toBe(type);
    expect(ex!.attributes["exception.message"]).toBe(message);
    expect(String(ex!.attributes["exception.stacktrace"] ?? "")).toContain(message);
  }
  for (const key of ["request", "retrieve", "embed", "plan", "chat"]) {
    expect(s[key]!.status?.code ?? 0, `${label}: ${key} not an error`).not.toBe(2);
  }

  // content setters
  expect(s.request!.attributes["fallom.input"]).toBe(JSON.stringify({ question: "What is the capital of France?" }));
  expect(s.request!.attributes["fallom.output"]).toBe("Paris");
  expect(s["tool-call"]!.attributes["fallom.input"]).toBe(JSON.stringify({ city: "Paris" }));

  // evaluation
  expect(s.evaluation!.name).toBe("evaluation relevance");
  expect(s.evaluation!.attributes).toMatchObject({
    "gen_ai.evaluation.name": "relevance",
    "gen_ai.evaluation.score.value": 0.87,
    "gen_ai.evaluation.score.label": "good",
    "gen_ai.evaluation.explanation": "on topic",
  });

  // …and the semconv gen_ai.evaluation.result event on the evaluated span
  const result = s.request!.events.find((e) => e.name === "gen_ai.evaluation.result");
  expect(result?.attributes, `${label}: evaluation event`).toEqual({
    "gen_ai.evaluation.name": "relevance",
    "gen_ai.evaluation.score.value": 0.87,
    "gen_ai.evaluation.score.label": "good",
    "gen_ai.evaluation.explanation": "on topic",
  });

  // custom metrics
  expect(s.traceMetrics!.attributes).toMatchObject({ "fallom.metric.latency_ms": 42, "fallom.metric.outcome": "ok" });
  expect(s.sessionMetrics!.attributes).toMatchObject({
    "fallom.metric.tokens_total": 120,
    "fallom.metric.satisfied": true,
    "fallom.metric.quality": 0.5,
  });

  // manual LLM span: model and tokens (absent fields stay absent)
  expect(s.chat!.attributes).toMatchObject({
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.provider.name": "openai",
    "gen_ai.usage.input_tokens": 12,
    "gen_ai.usage.output_tokens": 34,
  });
  expect(s.chat!.attributes["gen_ai.usage.cache_read.input_tokens"]).toBeUndefined();
  expect(s.embed!.attributes["gen_ai.request.model"]).toBe("text-embedding-3-small");
}

function cliSummary(r: ChildResult, name: string): ScenarioSummary {
  expect(r.timedOut, `${name} did not exit by itself (a timer or socket keeps it alive?)\n${r.stderr}`).toBe(false);
  expect(r.code, `${name} exit code\n${r.stderr}\n${r.stdout}`).toBe(0);
  return parseSummary(r.stdout);
}

describe("workerd (Miniflare v4, bundled ESM Worker)", () => {
  it.each([
    { flags: [] as string[], als: false },
    // nodejs_als alone offers AsyncLocalStorage only through import(), which the SDK no longer uses (strict loaders)
    { flags: ["nodejs_als"], als: false },
    { flags: ["nodejs_compat"], als: true },
  ])("compatibility flags $flags", async ({ flags, als }) => {
    const name = "workerd" + (flags.length ? "-" + flags.join("+") : "");
    const summary = await workerdScenario(workerScript, flags, options(name));
    expect(summary.env.userAgent).toBe("Cloudflare-Workers");
    expect(summary.env.process).toBe(flags.includes("nodejs_compat"));
    expect(summary.env.compressionStream).toBe("works");
    assertConformance(summary, { als, gzip: true });
  });
});

describe("edge-runtime (Vercel's VM, bundled IIFE)", () => {
  async function dispatch(profile: EdgeProfile, flush: boolean) {
    const host = runEdgeRuntime(edgeScript, profile);
    const o = options("edge-" + profile, { flush });
    const res = await host.fetch("/", { method: "POST", body: JSON.stringify(o) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return { host, res, o, summary: JSON.parse(text) as ScenarioSummary };
  }

  it("plain: no AsyncLocalStorage, no CompressionStream → explicit parents, plain JSON", async () => {
    const { summary } = await dispatch("plain", true);
    expect(summary.env).toMatchObject({ compressionStream: "missing", asyncLocalStorageGlobal: false, edgeRuntime: "edge-runtime" });
    assertConformance(summary, { als: false, gzip: false });
  });

  it.each([
    { profile: "next-like" as const, cs: "throws", gzip: false },
    { profile: "vercel-like" as const, cs: "works", gzip: true },
  ])("$profile: response does not wait for the flush; the request context's waitUntil delivers", async ({ profile, cs, gzip }) => {
    const { host, res, o, summary } = await dispatch(profile, false);
    expect(summary.env).toMatchObject({ compressionStream: cs, asyncLocalStorageGlobal: true, edgeRuntime: "edge-runtime" });
    expect(summary.flush).toBeNull();
    // The response is out while the export of the last span is still to come: it runs in waitUntil.
    // (Deterministic: the SDK's flush starts on a timer, and the response resolved through microtasks only.
    // Earlier spans may already be on their way — the SDK debounces flushes while the request runs.)
    let settled: unknown[] | undefined;
    const waiting = res.waitUntil().then((r) => (settled = r));
    await Promise.resolve();
    expect(settled, "waitUntil work still pending when the response arrived").toBeUndefined();
    expect(summary.stats.sent, "the last spans were not sent before the response").toBeLessThan(summary.expectedSpans);
    expect(spansOf(o.runId).some((x) => x.spanId === summary.ids.chat!.spanId), "last span not exported before the response").toBe(false);
    await waiting;
    expect(settled!.length, "the SDK registered its flush with the request context's waitUntil").toBeGreaterThan(0);
    // waitUntil covered the whole export: everything is there the moment it settles (no polling)
    expect(spansOf(o.runId)).toHaveLength(summary.expectedSpans);
    const stats = await (await host.fetch("/stats")).json();
    expect(stats.sent, "stats().sent equals what arrived").toBe(summary.expectedSpans);
    expect(stats.queued).toBe(0);
    assertConformance(summary, { als: true, gzip, flushed: false });
  });
});

describe("standalone runtimes (bundled ESM, child processes)", () => {
  it("Deno (--allow-net=127.0.0.1 only)", async () => {
    const o = options("deno");
    const summary = cliSummary(await runDeno(cliFile, [JSON.stringify(o)]), "deno");
    expect(summary.env.compressionStream).toBe("works");
    assertConformance(summary, { als: true, gzip: true });
  });

  it("Bun", async () => {
    const o = options("bun");
    const summary = cliSummary(await runBun(cliFile, [JSON.stringify(o)]), "bun");
    expect(summary.env.compressionStream).toBe("works");
    assertConformance(summary, { als: true, gzip: true });
  });

  it("Node 22", async () => {
    const o = options("node");
    const r = await runNode(cliFile, [JSON.stringify(o)]);
    const summary = cliSummary(r, "node");
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(22);
    expect(summary.env.compressionStream).toBe("works");
    assertConformance(summary, { als: true, gzip: true });
  });
});

it("no bundle handed to a runtime imports node: modules statically", () => {
  for (const code of [workerScript, edgeScript, cliScript]) {
    expect(code).not.toMatch(/\bfrom\s*["']node:|\bimport\s*["']node:|\bimport\s*\(\s*["']node:|require\(\s*["']node:/);
  }
});
