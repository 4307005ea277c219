// The runtime-conformance scenario: one unit of work through the PUBLIC API only, written like user code.
// It is bundled with esbuild (together with the SDK, `@fallom/trace` aliased to src/index.ts) for workerd,
// edge-runtime, Deno, Bun and Node, so it must stay runtime-agnostic: Web APIs and globalThis only.
import fallom from "@fallom/trace";
import type { FlushResult, Span, Stats } from "@fallom/trace";

export interface ScenarioOptions {
  /** collector base URL (baseUrl of init) */
  url: string;
  /** runtime label, also recorded as session metadata */
  runtime: string;
  /** unique per run: the session id, so many runs can share one collector */
  runId: string;
  /** call fallom.flush() at the end (default true); false = rely on the platform's waitUntil (Next-like hosts) */
  flush?: boolean;
  /** flushIntervalMs for init; omitted = the SDK default (long-lived runtimes then run an unref'd timer) */
  flushIntervalMs?: number;
}

export interface SpanRef {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

export interface ScenarioSummary {
  runtime: string;
  runId: string;
  /** implicit nesting through AsyncLocalStorage worked (a span started with no parent nested under the active one) */
  als: boolean;
  /** message of the error the failing span's callback threw, as rethrown to the scenario */
  caught: string | null;
  /** value returned through session.trace() */
  returned: unknown;
  /** a second end() on a handle returned false */
  endTwiceFalse: boolean;
  /** the session's open spans while a handle was open / after everything ended */
  openWhileRunning: number;
  openAfter: number;
  ids: Record<string, SpanRef>;
  /** spans this run ends (what the collector must receive) */
  expectedSpans: number;
  /** null when the scenario did not flush itself */
  flush: FlushResult | null;
  stats: Stats;
  /** what the runtime offers (diagnostics; the test compares it with what the collector saw) */
  env: {
    compressionStream: "missing" | "throws" | "works";
    asyncLocalStorageGlobal: boolean;
    process: boolean;
    edgeRuntime: string | null;
    userAgent: string | null;
  };
}

export const EXPECTED_SPAN_NAMES = [
  "request",
  "retrieve",
  "embed",
  "implicit",
  "plan",
  "tool-call",
  "failing",
  "evaluation relevance",
  "fallom.metrics",
  "fallom.metrics",
  "chat gpt-4o-mini",
] as const;

// a real macrotask hop: context must survive timers, not only microtasks
const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const ref = (s: Span): SpanRef => ({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId });

function probeEnv(): ScenarioSummary["env"] {
  const g = globalThis as any;
  let compressionStream: ScenarioSummary["env"]["compressionStream"] = "missing";
  if (typeof g.CompressionStream === "function") {
    try {
      new g.CompressionStream("gzip");
      compressionStream = "works";
    } catch {
      compressionStream = "throws";
    }
  }
  return {
    compressionStream,
    asyncLocalStorageGlobal: typeof g.AsyncLocalStorage === "function",
    process: typeof g.process === "object" && g.process !== null,
    edgeRuntime: typeof g.EdgeRuntime === "string" ? g.EdgeRuntime : null,
    userAgent: typeof g.navigator?.userAgent === "string" ? g.navigator.userAgent : null,
  };
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioSummary> {
  const init: Parameters<typeof fallom.init>[0] = {
    apiKey: "conformance-key",
    baseUrl: o.url,
    serviceName: "conformance",
    retryBaseMs: 10,
  };
  if (o.flushIntervalMs !== undefined) init.flushIntervalMs = o.flushIntervalMs;
  await fallom.init(init);

  const session = fallom.session({
    sessionId: o.runId,
    customerId: "cust-" + o.runId,
    configKey: "conformance",
    metadata: { runtime: o.runtime, plan: "pro" },
    tags: ["conformance", o.runtime],
  });

  const ids: Record<string, SpanRef> = {};
  let implicit: Span | undefined;
  let embed: Span | undefined;
  let caught: string | null = null;
  let openWhileRunning = -1;

  const returned = await session.trace(
    "request",
    async (root) => {
      ids.request = ref(root);
      root.setInput({ question: "What is the capital of France?" });

      // 3 levels through the callback API, across timers
      await root.span(
        "retrieve",
        async (retrieve) => {
          ids.retrieve = ref(retrieve);
          await tick();
          await retrieve.span(
            "embed",
            async (e) => {
              embed = e;
              ids.embed = ref(e);
              e.setModel("text-embedding-3-small", "openai");
              await tick();
              // no explicit parent: nests under "embed" only through AsyncLocalStorage
              implicit = session.startSpan("implicit");
              ids.implicit = ref(implicit);
              await tick();
              implicit.end();
            },
            { type: "llm" },
          );
          retrieve.setOutput(["doc-1", "doc-2"]);
        },
        { type: "retrieval" },
      );

      // 3 levels through explicit handles (work that outlives a callback)
      const plan = root.startSpan("plan", { type: "agent" });
      ids.plan = ref(plan);
      const tool = plan.startSpan("tool-call", { type: "tool", input: { city: "Paris" } });
      ids["tool-call"] = ref(tool);
      openWhileRunning = session.openSpans().length;
      await tick();
      tool.setError(new RangeError("bad tool input"));
      tool.end();
      plan.setOutput("planned");
      plan.end();

      // a callback that throws: recorded on the span and rethrown to us
      try {
        await root.span(
          "failing",
          async (f) => {
            ids.failing = ref(f);
            await tick();
            throw new TypeError("boom");
          },
          { type: "tool" },
        );
      } catch (error) {
        caught = error instanceof Error ? error.message : String(error);
      }

      const evaluation = root.evaluate({ name: "relevance", score: 0.87, label: "good", explanation: "on topic" });
      ids.evaluation = ref(evaluation);
      root.setOutput("Paris");
      return "done";
    },
    { type: "agent" },
  );

  // custom business metrics, Fallom style and session-scoped
  ids.traceMetrics = ref(fallom.trace.span({ latency_ms: 42, outcome: "ok" }, { configKey: "conformance", sessionId: o.runId }));
  ids.sessionMetrics = ref(session.recordMetrics({ tokens_total: 120, satisfied: true, quality: 0.5 }));

  // a manual LLM span through a handle
  const llm = session.startSpan("chat gpt-4o-mini", { type: "llm" });
  ids.chat = ref(llm);
  llm.setModel("gpt-4o-mini", "openai");
  llm.setInput([{ role: "user", content: "hi" }]);
  await tick();
  llm.setTokens({ input: 12, output: 34 });
  llm.setOutput("hello!");
  llm.end();
  const endTwiceFalse = llm.end() === false;

  const als = !!implicit && !!embed && implicit.parentSpanId === embed.spanId && implicit.traceId === embed.traceId;
  const flush = o.flush === false ? null : await fallom.flush();
  return {
    runtime: o.runtime,
    runId: o.runId,
    als,
    caught,
    returned,
    endTwiceFalse,
    openWhileRunning,
    openAfter: session.openSpans().length,
    ids,
    expectedSpans: EXPECTED_SPAN_NAMES.length,
    flush,
    stats: fallom.stats(),
    env: probeEnv(),
  };
}

/** The marker a child-process entry prints its summary after (one line of JSON). */
export const SUMMARY_MARKER = "@@FALLOM_SUMMARY ";
