// worker-example/ as users deploy it: bundled by wrangler itself (`wrangler deploy --dry-run --outdir`, offline,
// with the repo's wrangler.toml: no nodejs_compat) and run in workerd through Miniflare with a KV namespace,
// against the local collector. Proves the SDK, fallomHono, prompts/models and the AI SDK survive wrangler's own
// esbuild settings for a plain Worker. (The whole demo workload runs in test/collector/demo-e2e.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TraceDetail, TraceSummary } from "../../src/collector";
import { startCollector, startExample } from "../../demo/workers.mjs";
import { waitForDelivery } from "../../demo/workload.mjs";
import { ROOT, runChild, tempDir } from "./harness";

let collector: Awaited<ReturnType<typeof startCollector>>;
let example: Awaited<ReturnType<typeof startExample>>;
let tmp: ReturnType<typeof tempDir>;
let script: string;

beforeAll(async () => {
  tmp = tempDir("fallom-wrangler-");
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const r = await runChild(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", tmp.dir, "--config", join(ROOT, "wrangler.toml")], {
    timeoutMs: 90_000,
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", WRANGLER_LOG: "warn" },
  });
  if (r.code !== 0) throw new Error(`wrangler deploy --dry-run failed (${r.code}${r.timedOut ? ", timed out" : ""}):\n${r.stdout}\n${r.stderr}`);
  script = readFileSync(join(tmp.dir, "index.js"), "utf8");
  collector = await startCollector({ apiKey: "example-key" });
  example = await startExample({ collectorUrl: collector.url, apiKey: "example-key", script, bindings: { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" } });
}, 150_000);

afterAll(async () => {
  await example?.dispose();
  await collector?.dispose();
  tmp?.remove();
});

it("wrangler.toml declares the example without nodejs_compat, with a KV namespace as config cache", () => {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  expect(toml).toMatch(/^main\s*=\s*"worker-example\/index\.ts"/m);
  expect(toml).toMatch(/^compatibility_date\s*=\s*"2026-07-01"/m);
  expect(toml).toMatch(/\[\[kv_namespaces\]\]\s*\nbinding\s*=\s*"FALLOM_KV"/);
  const settings = toml.replace(/#.*$/gm, "");
  expect(settings).not.toMatch(/nodejs_compat|nodejs_als/);
  expect(toml).toMatch(/FALLOM_BASE_URL/);
});

it("wrangler's bundle has no node: imports", () => {
  expect(script).not.toMatch(/\bfrom\s*["']node:|\bimport\s*["']node:|\bimport\s*\(\s*["'`]node:/);
  expect(script).toContain("@fallom/trace"); // the SDK (its resource attributes) is in the bundle
  // one SDK, from src/ via wrangler.toml's aliases: a subpath resolved to dist/ would be a second, uninitialised SDK
  expect(script).toMatch(/\/\/ src\/integrations\/ai-sdk\/wrap-tools\.ts/);
  expect(script).not.toMatch(/\/\/ dist\//);
});

it("POST /chat, streamed and not: answers, and fallomHono's flush delivers each request's trace to the collector", async () => {
  const chat = (sessionId: string, message: string, stream: boolean) =>
    fetch(`${example.url}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-id": sessionId, "x-user-id": "user-1" },
      body: JSON.stringify({ message, stream, customerName: "Ada" }),
    });
  const [streamed, plain] = await Promise.all([chat("ex-a", "Where is my order A-17?", true), chat("ex-b", "How do I change my plan?", false)]);
  expect(streamed.status).toBe(200);
  expect(streamed.headers.get("content-type")).toContain("text/event-stream");
  const sse = await streamed.text();
  expect(sse).toContain('"toolName":"lookupOrder"');
  expect(sse).toMatch(/A-17/);
  expect(plain.status).toBe(200);
  expect(((await plain.json()) as { text: string }).text).toMatch(/Settings → Billing/);

  await waitForDelivery(collector.url, 2, 15_000);
  const traces = ((await (await fetch(`${collector.url}/api/traces`)).json()) as { traces: TraceSummary[] }).traces;
  expect(traces.map((t) => t.sessionId).sort()).toEqual(["ex-a", "ex-b"]);
  const a = (await (await fetch(`${collector.url}/api/traces/${traces.find((t) => t.sessionId === "ex-a")!.traceId}`)).json()) as TraceDetail;
  expect(a.spans.map((s) => s.type).sort()).toEqual(["http", "llm", "llm", "tool"]);
  for (const s of a.spans) {
    expect(s.resource).toMatchObject({ "service.name": "worker-example", "telemetry.sdk.name": "@fallom/trace" });
    expect(s.attributes).toMatchObject({ "user.id": "user-1", "fallom.config_key": "support-bot", "fallom.tags": ["worker-example"] });
  }
  expect(example.output.join("\n")).not.toMatch(/different request|Cannot perform I\/O|uncaught/i);
});

it("GET / answers without tracing anything", async () => {
  const before = ((await (await fetch(`${collector.url}/api/summary`)).json()) as { spans: number }).spans;
  const res = await fetch(`${example.url}/`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("POST /chat");
  await new Promise((r) => setTimeout(r, 300));
  expect(((await (await fetch(`${collector.url}/api/summary`)).json()) as { spans: number }).spans).toBe(before);
});
