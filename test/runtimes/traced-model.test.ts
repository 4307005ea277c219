// Issue 3: the same traced-model case in workerd (no nodejs_compat), edge-runtime, Deno and Bun — each runs the
// bundle of the real `ai` 7 package with our traceModel and exports to the local collector.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { bundle, runBun, runDeno, runEdgeRuntime, runWorkerd, tempDir } from "./harness";
import { TRACED_MARKER } from "./traced-model-scenario";

let collector: Collector;
let worker: string;
let edge: string;
let cli: string;
let tmp: ReturnType<typeof tempDir>;
let runs = 0;

beforeAll(async () => {
  collector = await startCollector();
  tmp = tempDir();
  [worker, edge, cli] = await Promise.all([
    bundle({ contents: `import { runTracedModel } from "./traced-model-scenario";
export default { async fetch(req) { try { return Response.json(await runTracedModel(await req.json())); } catch (e) { return new Response(String(e && e.stack || e), { status: 500 }); } } };` }, "esm"),
    bundle({ contents: `import { runTracedModel } from "./traced-model-scenario";
addEventListener("fetch", (event) => event.respondWith(event.request.json().then(runTracedModel).then((r) => Response.json(r), (e) => new Response(String(e && e.stack || e), { status: 500 }))));` }, "iife"),
    bundle({ contents: `import { runTracedModel, TRACED_MARKER } from "./traced-model-scenario";
const g = globalThis as any;
const result = await runTracedModel(JSON.parse(g.Deno ? g.Deno.args[0] : g.process.argv[2]));
console.log(TRACED_MARKER + JSON.stringify(result));` }, "esm").then((text) => tmp.write("traced.mjs", text)),
  ]);
}, 60_000);

afterAll(async () => {
  tmp?.remove();
  await collector?.close();
});

function check(runId: string, result: any): void {
  expect(result.generated).toBe("generated answer");
  expect(result.streamed).toBe("streamed answer");
  expect(result.flush).toMatchObject({ sent: 2, dropped: 0, pending: 0, timedOut: false });
  const spans = collector.spans().filter((s) => s.attributes["session.id"] === runId);
  expect(spans.map((s) => s.name)).toEqual(["chat gpt-4o-mini", "chat gpt-4o-mini"]);
  const [generate, stream] = [spans.find((s) => s.attributes["gen_ai.request.stream"] === false)!, spans.find((s) => s.attributes["gen_ai.request.stream"] === true)!];
  for (const span of [generate, stream]) {
    expect(span.kind).toBe(3);
    expect(span.attributes).toMatchObject({
      "fallom.span.type": "llm",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 8,
      "gen_ai.usage.cache_read.input_tokens": 4,
      "gen_ai.usage.reasoning.output_tokens": 2,
      "gen_ai.response.finish_reasons": ["stop"],
      "user.id": "user-1",
    });
    expect(span.attributes["fallom.cost.total_usd"]).toBeGreaterThan(0);
    expect(span.attributes["fallom.pricing.date"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  expect(stream.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  expect(stream.attributes["gen_ai.response.id"]).toBe("resp-1");
  expect(generate.attributes).not.toHaveProperty("gen_ai.response.time_to_first_chunk");
}

const id = (runtime: string) => `traced-${++runs}-${runtime}`;

describe("traced model conformance", () => {
  it("workerd without nodejs_compat", async () => {
    const w = await runWorkerd(worker, { flags: [] });
    try {
      const runId = id("workerd");
      const res = await w.fetch("/", { method: "POST", body: JSON.stringify({ url: collector.url, runId }) });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      check(runId, JSON.parse(text));
    } finally {
      await w.dispose();
    }
  });

  it("edge-runtime (no AsyncLocalStorage, no CompressionStream)", async () => {
    const runId = id("edge");
    const res = await runEdgeRuntime(edge, "plain").fetch("/", { method: "POST", body: JSON.stringify({ url: collector.url, runId }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    check(runId, JSON.parse(text));
  });

  it.each([
    ["Deno", runDeno],
    ["Bun", runBun],
  ] as const)("%s", async (name, run) => {
    const runId = id(name);
    const out = await run(cli, [JSON.stringify({ url: collector.url, runId })], 30_000);
    const line = out.stdout.split("\n").find((l) => l.startsWith(TRACED_MARKER));
    expect(line, out.stderr).toBeDefined();
    check(runId, JSON.parse(line!.slice(TRACED_MARKER.length)));
  });
});
