// worker-example/ as users deploy it: bundled by wrangler itself (`wrangler deploy --dry-run --outdir`, offline,
// with the repo's wrangler.toml: no nodejs_compat) and run in workerd through Miniflare without any flag,
// against the local collector. Proves the SDK survives wrangler's own esbuild settings for a plain Worker.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../support/collector";
import { ROOT, runChild, runWorkerd, tempDir, type WorkerdHandle } from "./harness";

let collector: Collector;
let worker: WorkerdHandle;
let tmp: ReturnType<typeof tempDir>;
let script: string;

beforeAll(async () => {
  tmp = tempDir("fallom-wrangler-");
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const r = await runChild(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", tmp.dir, "--config", join(ROOT, "wrangler.toml")], {
    timeoutMs: 60_000,
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", WRANGLER_LOG: "warn" },
  });
  if (r.code !== 0) throw new Error(`wrangler deploy --dry-run failed (${r.code}${r.timedOut ? ", timed out" : ""}):\n${r.stdout}\n${r.stderr}`);
  script = readFileSync(join(tmp.dir, "index.js"), "utf8");
  collector = await startCollector();
  worker = await runWorkerd(script, {
    flags: [], // exactly the wrangler.toml setting: no nodejs_compat, no nodejs_als
    bindings: { FALLOM_BASE_URL: collector.url, FALLOM_API_KEY: "example-key" },
  });
});

afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
  tmp?.remove();
});

it("wrangler.toml declares the example without nodejs_compat", () => {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  expect(toml).toMatch(/^main\s*=\s*"worker-example\/index\.ts"/m);
  expect(toml).toMatch(/^compatibility_date\s*=\s*"2026-07-01"/m);
  const settings = toml.replace(/#.*$/gm, "");
  expect(settings).not.toMatch(/nodejs_compat|nodejs_als/);
  expect(toml).toMatch(/FALLOM_BASE_URL/);
});

it("wrangler's bundle has no node: imports", () => {
  expect(script).not.toMatch(/\bfrom\s*["']node:|\bimport\s*["']node:|\bimport\s*\(\s*["'`]node:/);
  expect(script).toContain("@fallom/trace"); // the SDK (its resource attributes) is in the bundle
});

it("POST /chat: answers, then waitUntil(flush) delivers the session's nested spans", async () => {
  const sessions = ["ex-a", "ex-b", "ex-c"];
  const replies = await Promise.all(
    sessions.map(async (sid, i) => {
      const res = await worker.fetch("/chat", {
        method: "POST",
        headers: { "content-type": "application/json", "x-session-id": sid, "x-user-id": `user-${i}` },
        body: JSON.stringify({ message: `what is the capital of France? #${i}` }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { reply: string; sessionId: string };
    }),
  );
  replies.forEach((r, i) => {
    expect(r.sessionId).toBe(sessions[i]);
    expect(r.reply).toContain("Paris is the capital of France.");
  });

  const spans = await collector.waitForSpans(sessions.length * 3, 10_000);
  expect(spans).toHaveLength(sessions.length * 3);
  expect(collector.requests.every((r) => r.path !== "/v1/traces" || (r.gzip && r.headers.authorization === "Bearer example-key"))).toBe(true);
  sessions.forEach((sid, i) => {
    const mine = spans.filter((s) => s.attributes["session.id"] === sid);
    const by = (name: string): DecodedSpan => {
      const s = mine.find((x) => x.name === name);
      expect(s, `${sid}: span ${name}`).toBeDefined();
      return s!;
    };
    expect(mine).toHaveLength(3);
    const chat = by("chat");
    const retrieve = by("retrieve");
    const generate = by("generate");
    expect(chat.parentSpanId).toBeUndefined();
    for (const child of [retrieve, generate]) {
      expect(child.parentSpanId).toBe(chat.spanId);
      expect(child.traceId).toBe(chat.traceId);
    }
    for (const s of mine) {
      expect(s.attributes).toMatchObject({
        "user.id": `user-${i}`,
        "fallom.config_key": "worker-example",
        "fallom.tags": ["example"],
        "fallom.metadata.route": "/chat",
      });
      expect(s.resource).toMatchObject({ "service.name": "worker-example", "telemetry.sdk.name": "@fallom/trace" });
    }
    expect(chat.attributes["fallom.span.type"]).toBe("agent");
    expect(retrieve.attributes["fallom.span.type"]).toBe("retrieval");
    expect(generate.attributes).toMatchObject({
      "fallom.span.type": "llm",
      "gen_ai.request.model": "mock-echo",
      "gen_ai.provider.name": "mock",
    });
    expect(generate.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(generate.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(generate.kind).toBe(3);
  });
});

it("GET / answers without tracing anything", async () => {
  const before = collector.spans().length;
  const res = await worker.fetch("/");
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("POST /chat");
  expect(collector.spans().length).toBe(before);
});
