// The collector as users deploy it: bundled by wrangler itself from worker-example/collector/wrangler.toml
// (`wrangler deploy --dry-run`, offline), then run in workerd with a D1 database: ingest, config API and viewer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector } from "../../demo/workers.mjs";
import { ROOT, runChild, tempDir } from "../runtimes/harness";

let tmp: ReturnType<typeof tempDir>;
let script: string;
let collector: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  tmp = tempDir("fallom-collector-");
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const config = join(ROOT, "worker-example/collector/wrangler.toml");
  const r = await runChild(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", tmp.dir, "--config", config], {
    timeoutMs: 90_000,
    env: { WRANGLER_SEND_METRICS: "false", CI: "1", WRANGLER_LOG: "warn" },
  });
  if (r.code !== 0) throw new Error(`wrangler deploy --dry-run failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  script = readFileSync(join(tmp.dir, "index.js"), "utf8");
  collector = await startCollector({ apiKey: "deploy-key", script });
}, 120_000);

afterAll(async () => {
  await collector?.dispose();
  tmp?.remove();
});

it("wrangler.toml declares the Worker, its D1 binding and no nodejs_compat", () => {
  const toml = readFileSync(join(ROOT, "worker-example/collector/wrangler.toml"), "utf8");
  expect(toml).toMatch(/^main\s*=\s*"index\.ts"/m);
  expect(toml).toMatch(/\[\[d1_databases\]\]\s*\nbinding\s*=\s*"DB"/);
  expect(toml.replace(/#.*$/gm, "")).not.toMatch(/nodejs_compat|nodejs_als/);
  expect(script).not.toMatch(/\bfrom\s*["']node:|\bimport\s*["']node:|\bimport\s*\(\s*["'`]node:/);
});

it("wrangler's bundle ingests OTLP, serves the seeded configs and renders the viewer", async () => {
  const start = String(BigInt(Date.now()) * 1_000_000n);
  const body = {
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "ab".repeat(16), spanId: "cd".repeat(8), name: "deployed", startTimeUnixNano: start, endTimeUnixNano: start }] }] }],
  };
  const auth = { authorization: "Bearer deploy-key" };
  const res = await fetch(`${collector.url}/v1/traces`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  expect(((await (await fetch(`${collector.url}/configs`, { headers: auth })).json()) as any).configs[0].key).toBe("support-bot");
  const page = await (await fetch(`${collector.url}/`)).text();
  expect(page).toContain(">deployed</a>");
  expect(collector.output.join("\n")).not.toMatch(/error|different request/i);
});
