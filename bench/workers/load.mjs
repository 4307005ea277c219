// Load (issue 7): `node load.mjs <node|workerd> <healthy|failing>`. Requests that each end 4 spans and flush, against
// a local collector in THIS process (node:http, dedups by spanId; "failing" answers 2 % of exports 503 and resets
// 1 % of connections). The SDK runs elsewhere, so the collector's own work is not counted against it:
//   node     a child process (load-node-app.mjs): 10,000 requests, 50 in flight; each request awaits its flush()
//            (a server without waitUntil), so requests/s includes the flush.
//   workerd  one Miniflare isolate: 2,000 requests, 20 in flight; each hands flush() to ctx.waitUntil (not awaited).
// Prints requests/s, flush p50/p99 (ms, measured by the app around flush()), and the time from the last response to
// the last span delivered. FALLOM_BENCH_DIST picks the build (e.g. one of main, for a before/after comparison).
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { BENCH_DIR, DIST, emit, median, ROOT } from "../lib/common.mjs";

const [runtime = "node", mode = "healthy"] = process.argv.slice(2);
const QUICK = process.env.BENCH_QUICK === "1";
const N = runtime === "node" ? (QUICK ? 3000 : 10_000) : QUICK ? 1000 : 2000;
const CONCURRENCY = runtime === "node" ? 50 : 20;
const SPANS = 4;

// ---- the collector ------------------------------------------------------------------------------------------
const delivered = new Set();
let lastDelivery = 0;
let exports = 0;
let failed = 0;
const flushMs = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/done") {
      flushMs.push(...JSON.parse(Buffer.concat(chunks).toString()));
      return res.end("ok");
    }
    const n = ++exports;
    if (mode === "failing" && n % 50 === 7) return failed++, res.writeHead(503).end();
    if (mode === "failing" && n % 100 === 13) return failed++, req.socket.destroy();
    let body = Buffer.concat(chunks);
    if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
    for (const m of body.toString().matchAll(/"spanId":"([0-9a-f]{16})"/g)) delivered.add(m[1]);
    lastDelivery = Date.now();
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const collector = `http://127.0.0.1:${server.address().port}`;

const waitDelivered = async (timeoutMs) => {
  const end = Date.now() + timeoutMs;
  while (delivered.size < N * SPANS && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};
const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

let firstRequest;
let lastResponse;
if (runtime === "node") {
  // the app: a child process; it prints its timings as one JSON line
  const out = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(BENCH_DIR, "workers/load-node-app.mjs"), collector, String(N), String(CONCURRENCY)], {
      env: { ...process.env, FALLOM_BENCH_DIST: DIST },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
  const r = JSON.parse(out.trim().split("\n").pop());
  firstRequest = r.firstRequest;
  lastResponse = r.lastResponse;
  flushMs.push(...r.flushMs);
} else {
  const { Miniflare } = await import("miniflare");
  const esbuild = await import("esbuild");
  const entry = `
import fallom from ${JSON.stringify(path.resolve(DIST, "index.js"))};
const flushMs = [];
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    await fallom.init({ apiKey: "bench", baseUrl: env.COLLECTOR, flushIntervalMs: 0, retryBaseMs: 100, maxQueueSize: 100000 });
    if (url.pathname === "/report") {
      await fetch(env.COLLECTOR + "/done", { method: "POST", body: JSON.stringify(flushMs.splice(0)) });
      return new Response("ok");
    }
    const session = fallom.session({ sessionId: url.searchParams.get("id") });
    await session.trace("request", async (root) => {
      await root.span("retrieve", () => new Promise((r) => setTimeout(r, 1)));
      root.startSpan("llm", { type: "llm" }).end();
      root.startSpan("tool", { type: "tool" }).end();
    });
    const started = Date.now();
    ctx.waitUntil(fallom.flush().then(() => flushMs.push(Date.now() - started)));
    return new Response("ok");
  },
};`;
  const built = await esbuild.build({ stdin: { contents: entry, resolveDir: ROOT }, bundle: true, write: false, format: "esm", platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"], logLevel: "silent" });
  const mf = new Miniflare({ modules: [{ type: "ESModule", path: "w.mjs", contents: built.outputFiles[0].text }], compatibilityDate: "2026-07-01", bindings: { COLLECTOR: collector }, cf: false });
  await mf.ready;
  let next = 0;
  firstRequest = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        await (await mf.dispatchFetch(`http://bench.test/?id=r${i}`)).text();
      }
    }),
  );
  lastResponse = Date.now();
  await waitDelivered(60_000);
  // flush timings: wait for the waitUntils to finish, then collect them (this request only reads and reports)
  const end = Date.now() + 30_000;
  while (flushMs.length < N && Date.now() < end) {
    await (await mf.dispatchFetch("http://bench.test/report")).text();
    if (flushMs.length < N) await new Promise((r) => setTimeout(r, 200));
  }
  await mf.dispose();
}
await waitDelivered(60_000);
server.close();
emit({
  runtime,
  mode,
  requests: N,
  concurrency: CONCURRENCY,
  requestsPerSecond: (N / (lastResponse - firstRequest)) * 1000,
  flushP50: median(flushMs),
  flushP99: pct(flushMs, 99),
  flushes: flushMs.length,
  lastSpanAfterLastResponseMs: Math.max(0, lastDelivery - lastResponse),
  delivered: delivered.size,
  expected: N * SPANS,
  exports,
  failed,
});
process.exit(0);
