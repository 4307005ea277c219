// Issue 7: every documented Workers recipe delivers every span of its request from that request's own waitUntil —
// `ctx.waitUntil(fallom.flush())` handed over before the stream has even started — in a FRESH isolate with no
// later request to help: 4 response kinds × 4 tracing paths, with and without nodejs_compat. Also: overlapping
// slow and fast streams in one isolate each deliver promptly, a client that cancels mid-stream still gets its span
// delivered (ended as cancelled), and workerd's output carries none of its cross-request warnings (with a control
// proving the capture sees them).
import { Miniflare, type WorkerOptions } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import { bundle, COMPATIBILITY_DATE, CROSS_REQUEST_WARNINGS, HERE, until } from "./harness";
import { join } from "node:path";


const KINDS = ["json", "text", "ui", "sse"] as const;
const PATHS = ["traceModel", "middleware", "wrapAISDK", "telemetry"] as const;
// spans one call produces: the llm span, plus the invoke_agent span of wrapAISDK / the ai 7 telemetry integration
const SPANS: Record<(typeof PATHS)[number], number> = { traceModel: 1, middleware: 1, wrapAISDK: 2, telemetry: 2 };
const CASES = KINDS.flatMap((kind) => PATHS.map((path) => ({ kind, path })));
// named workers: one per recipe case (a fresh isolate each, never reused), plus the overlap, cancel and control isolates
const WORKERS = [...CASES.map((_, i) => "case" + i), "overlap", "cancel", "control"];

let collector: Collector;
let script: string;
let runs = 0;

beforeAll(async () => {
  collector = await startCollector();
  script = await bundle(join(HERE, "flush-recipes-worker.ts"), "esm");
}, 60_000);

afterAll(async () => {
  await collector?.close();
});

const sessionSpans = (id: string): DecodedSpan[] => collector.spans().filter((s) => s.attributes["session.id"] === id);
const doneReport = (id: string): any => collector.requests.find((r) => r.path === "/done" && (r.json as any)?.id === id)?.json;

describe.each([
  { name: "no flags", flags: [] as string[] },
  { name: "nodejs_compat", flags: ["nodejs_compat"] },
])("workerd ($name): flush() handed to waitUntil before the response starts", ({ flags }) => {
  let mf: Miniflare;
  let output = "";

  beforeAll(async () => {
    const worker = (name: string): WorkerOptions => ({
      name,
      routes: [name + ".test/*"],
      modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: flags,
      bindings: { COLLECTOR: collector.url },
    });
    mf = new Miniflare({
      workers: WORKERS.map(worker),
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (d) => (output += d));
        stderr.on("data", (d) => (output += d));
      },
    });
    await mf.ready;
  }, 60_000);

  afterAll(async () => {
    await mf?.dispose();
  });

  const get = (worker: string, query: Record<string, string | number>, init?: RequestInit) =>
    mf.dispatchFetch(`http://${worker}.test/?` + new URLSearchParams(query as Record<string, string>), init as any) as unknown as Promise<Response>;

  it.each(CASES.map((c, i) => ({ ...c, i })))("$kind response, $path: every span delivered by its own flush", async ({ kind, path, i }) => {
    const id = `recipe-${++runs}-${kind}-${path}`;
    const res = await get("case" + i, { path, kind, id });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    if (kind !== "json") expect(body).toContain("w4");
    // the request's own waitUntil reports its flush result: nothing left pending, nothing cut by the deadline
    const report = await until(() => doneReport(id), () => `the flush report of ${id}\n${collector.describe()}`);
    expect(report).toMatchObject({ pending: 0, dropped: 0, timedOut: false });
    const spans = await until(() => sessionSpans(id).length >= SPANS[path] && sessionSpans(id), () => `${SPANS[path]} spans of ${id}`);
    expect(spans).toHaveLength(SPANS[path]);
    const llm = spans.find((s) => s.attributes["fallom.span.type"] === "llm")!;
    expect(llm.attributes).toMatchObject({ "gen_ai.request.model": "mock-model", "gen_ai.usage.output_tokens": 3 });
    expect(llm.attributes).not.toHaveProperty("fallom.stream.unconsumed");
  });

  it("overlapping slow and fast streams in one isolate: the fast one is delivered while the slow one still streams", async () => {
    const slow = `overlap-slow-${++runs}`;
    const fast = `overlap-fast-${runs}`;
    // slow: 20 chunks 150 ms apart (~3 s); fast: a few ms
    const slowRes = await get("overlap", { path: "traceModel", kind: "text", id: slow, delay: 150, chunks: 20 });
    const slowBody = slowRes.text();
    const fastBody = await (await get("overlap", { path: "traceModel", kind: "text", id: fast })).text();
    expect(fastBody).toContain("w4");
    const fastAt = Date.now();
    await until(() => sessionSpans(fast).length === 1, () => "the fast request's span");
    const fastDelivered = Date.now();
    expect(sessionSpans(slow), "the slow stream is still open").toHaveLength(0);
    expect(fastDelivered - fastAt, "fast delivered within 1 s of its response").toBeLessThan(1000);
    // the fast request's flush returns without waiting for the slow stream
    expect(await until(() => doneReport(fast), () => "the fast flush report")).toMatchObject({ pending: 0, timedOut: false });
    expect(sessionSpans(slow), "the slow stream is still open").toHaveLength(0);
    await slowBody;
    await until(() => sessionSpans(slow).length === 1, () => "the slow request's span");
    await until(() => doneReport(slow), () => "the slow request's flush report");
  });

  it("a client that cancels mid-stream: the span ends as cancelled and is still delivered", async () => {
    const id = `cancel-${++runs}`;
    expect(await (await get("cancel", { path: "traceModel", kind: "text", id, delay: 100, chunks: 50, cancel: 1 })).text()).toBe("client gone");
    const [span] = await until(() => sessionSpans(id).length === 1 && sessionSpans(id), () => `the cancelled stream's span\n${collector.describe()}`);
    expect(span!.attributes["fallom.stream.cancelled"]).toBe(true);
    expect(span!.attributes).not.toHaveProperty("gen_ai.usage.output_tokens");
    expect(await until(() => doneReport(id), () => "the flush report")).toMatchObject({ pending: 0, timedOut: false });
  });

  it("workerd printed no cross-request warning; control: the same capture sees one", async () => {
    await new Promise((r) => setTimeout(r, 300)); // let workerd print anything pending
    expect(output).not.toMatch(CROSS_REQUEST_WARNINGS);
    await (await mf.dispatchFetch("http://control.test/control-make")).text();
    await (await mf.dispatchFetch("http://control.test/control-settle")).text();
    await until(() => CROSS_REQUEST_WARNINGS.test(output), () => "the control warning in workerd's output:\n" + output, 3000);
  });
});
