#!/usr/bin/env node
// @fallom/trace benchmark (issues 2 and 3, "Performance"): runs every measurement in fresh child processes,
// side by side with OpenTelemetry JS, prints a table and writes bench/results/latest.json.
//
//   npm run bench                      (= npm run build && node bench/run.mjs)
//   node bench/run.mjs --quick         fewer runs, for a smoke check (~1 min)
//   node bench/run.mjs --only=span,heap,size,import,ai,config,providers,load
//   node bench/run.mjs --only=load --before=<a dist/ built from another commit>   (load: before/after side by side)
//
// See bench/README.md for what each number means.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, RESULT_MARK, ROOT, median } from "./lib/common.mjs";

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const onlyArg = args.find((a) => a.startsWith("--only="));
const ONLY = onlyArg ? new Set(onlyArg.slice(7).split(",")) : null;
const want = (section) => !ONLY || ONLY.has(section);
const beforeArg = args.find((a) => a.startsWith("--before="));
const BEFORE = beforeArg ? path.resolve(beforeArg.slice(9)) : null;

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`bench needs Node >= 22 (this is ${process.version}); run it through npm (npm run bench) so the pinned Node 22 is used`);
  process.exit(1);
}

// ---- the package under test: a snapshot of dist/, so a concurrent rebuild cannot change it mid-run ----------

const DIST = path.join(ROOT, "dist");
if (!existsSync(path.join(DIST, "index.js")) || !existsSync(path.join(DIST, "core.js"))) {
  console.error("dist/ is missing: build first (npm run build), or use npm run bench which builds");
  process.exit(1);
}
const RESULTS = path.join(BENCH_DIR, "results");
const SNAPSHOT = path.join(RESULTS, "dist-snapshot");
mkdirSync(RESULTS, { recursive: true });
rmSync(SNAPSHOT, { recursive: true, force: true });
cpSync(DIST, SNAPSHOT, { recursive: true, filter: (src) => !src.endsWith(".map") });

// ---- child processes ----------------------------------------------------------------------------------------

const childEnv = { ...process.env, FALLOM_BENCH_DIST: SNAPSHOT, BENCH_QUICK: QUICK ? "1" : "0" };
for (const k of Object.keys(childEnv)) if (k.startsWith("FALLOM_") && k !== "FALLOM_BENCH_DIST") delete childEnv[k];
delete childEnv.NODE_COMPILE_CACHE; // a compile cache would turn "cold import" warm

function worker(file, workerArgs = [], { nodeArgs = [], env = {}, timeoutMs = 240_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(BENCH_DIR, "workers", file), ...workerArgs], {
      env: { ...childEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(RESULT_MARK.length)));
      const why = signal ? `killed (${signal}${signal === "SIGKILL" ? ", over " + timeoutMs / 1000 + " s" : ""})` : `exit ${code}`;
      resolve({ error: `${file} ${workerArgs.join(" ")}: ${why}\n${stderr.trim().split("\n").slice(-6).join("\n")}` });
    });
  });
}

const started = Date.now();
const load0 = os.loadavg();
const cores = os.availableParallelism?.() ?? os.cpus().length;
const results = {};
const progress = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

// 1. ns per span: two processes per library, alternating, runs pooled
if (want("span")) {
  progress("ns per span (start + 8 attributes + end) …");
  const env = QUICK ? { BENCH_RUNS: "3", BENCH_WARMUP: "2" } : { BENCH_RUNS: "5", BENCH_WARMUP: "3" };
  const runs = { fallom: [], otel: [] };
  const flush = [];
  const errors = [];
  for (let round = 0; round < 2; round++) {
    for (const lib of round ? ["otel", "fallom"] : ["fallom", "otel"]) {
      const r = await worker("span-time.mjs", [lib], { nodeArgs: ["--expose-gc"], env });
      if (r.error) errors.push(r.error);
      else {
        runs[lib].push(...r.nsPerSpan.runs);
        if (lib === "fallom") flush.push(...r.flushNsPerSpan.runs);
      }
    }
  }
  results.span = { fallom: stat(runs.fallom), otel: stat(runs.otel), fallomFlush: stat(flush), errors };
}

// 2. heap bytes per buffered span
if (want("heap")) {
  progress("heap bytes per buffered span …");
  const env = { BENCH_RUNS: QUICK ? "3" : "5" };
  results.heap = {};
  for (const lib of ["fallom", "otel"]) {
    const r = await worker("span-heap.mjs", [lib], { nodeArgs: ["--expose-gc"], env });
    results.heap[lib] = r.error ? r : r.bytesPerSpan;
  }
}

// 3. min+gzip bundle bytes
if (want("size")) {
  progress("min+gzip bundle sizes …");
  results.size = await worker("bundle-size.mjs");
}

// 4. cold import: fresh node per sample, targets interleaved
if (want("import")) {
  progress("cold import …");
  const url = (f) => pathToFileURL(path.join(SNAPSHOT, f)).href;
  // Node's own floor: importing a one-line module the same way
  writeFileSync(path.join(SNAPSHOT, "empty-module.mjs"), "export const empty = true;\n");
  const targets = {
    floor: [url("empty-module.mjs")],
    fallom: [url("index.js")],
    fallomCore: [url("core.js")],
    fallomAi: existsSync(path.join(SNAPSHOT, "ai-sdk.js")) ? [url("index.js"), url("ai-sdk.js")] : null,
    otel: ["@opentelemetry/api", "@opentelemetry/sdk-trace-base"],
  };
  const samples = { floor: [], fallom: [], fallomCore: [], fallomAi: [], otel: [] };
  const errors = [];
  const N = QUICK ? 5 : 15;
  for (let i = 0; i < N + 1; i++) {
    for (const [name, specs] of Object.entries(targets)) {
      if (!specs) continue;
      const r = await worker("cold-import.mjs", specs, { timeoutMs: 30_000 });
      if (r.error) errors.push(r.error);
      else if (i > 0) samples[name].push(r.ms); // the first spawn of each warms the OS file cache
    }
  }
  results.import = { floor: stat(samples.floor), fallom: stat(samples.fallom), fallomCore: stat(samples.fallomCore), fallomAi: stat(samples.fallomAi), otel: stat(samples.otel), errors: [...new Set(errors)] };
}

// 5. AI SDK overhead (issue 3)
if (want("ai")) {
  results.ai = {};
  for (const c of ["model", "generate", "middleware", "stream", "prompt", "alstax"]) {
    progress(`AI SDK overhead: ${c} …`);
    const r = await worker("ai-sdk.mjs", [c], { nodeArgs: ["--expose-gc"], timeoutMs: 300_000 });
    results.ai[c] = r;
    if (r.skipped) {
      results.ai = { skipped: r.skipped };
      break;
    }
  }
  if (!results.ai.skipped)
    for (const capture of ["on", "off"]) {
      progress(`AI SDK overhead: retained (capture ${capture}) …`);
      results.ai["retained_" + capture] = await worker("ai-sdk.mjs", ["retained", capture], { nodeArgs: ["--expose-gc"], timeoutMs: 300_000 });
    }
  // untraced calls in a process that never traces vs one that does: separate processes, alternated
  if (!results.ai.skipped) {
    const runs = { plain: [], tracing: [] };
    for (let i = 0; i < (QUICK ? 1 : 3); i++) {
      for (const mode of i % 2 ? ["tracing", "plain"] : ["plain", "tracing"]) {
        progress(`AI SDK overhead: untaxed (${mode}) …`);
        const r = await worker("ai-sdk.mjs", ["untaxed", mode], { nodeArgs: ["--expose-gc"], timeoutMs: 300_000 });
        if (r.error) results.ai.untaxed = { error: r.error };
        else runs[mode].push(r);
      }
    }
    // each process's median untraced µs per call; the tax = tracing − plain, over the medians of the processes
    const pick = (mode, kind) => runs[mode].map((r) => r[kind].base.median);
    if (!results.ai.untaxed?.error)
      results.ai.untaxed = Object.fromEntries(
        ["stream", "generate"].map((kind) => [kind, { plain: stat(pick("plain", kind)), tracing: stat(pick("tracing", kind)), tax: median(pick("tracing", kind)) - median(pick("plain", kind)) }]),
      );
  }
}

// 6. config/prompt cache (issue 9): warm models.get / prompts.get beside Langfuse's prompt.get, MD5, one KV read
if (want("config")) {
  progress("config/prompt cache: warm lookups beside Langfuse, MD5, KV read …");
  results.config = await worker("config-cache.mjs", [], { nodeArgs: ["--expose-gc"], timeoutMs: 300_000 });
}

// 6. provider client wrappers (issue 10): µs added per call, beside Braintrust and Langfuse, one process per library
if (want("providers")) {
  results.providers = {};
  for (const c of ["openai-plain", "openai-stream", "anthropic-plain", "anthropic-stream"]) {
    progress(`provider wrappers: ${c} …`);
    results.providers[c] = {};
    for (const lib of ["fallom", "braintrust", "langfuse"]) {
      results.providers[c][lib] = await worker("provider-wrappers.mjs", [lib, c], { nodeArgs: ["--expose-gc"], timeoutMs: 300_000 });
    }
  }
}

// 6. load (issue 7): requests that each end 4 spans and flush, healthy and failing collector, Node and workerd
if (want("load")) {
  results.load = {};
  for (const runtime of ["node", "workerd"]) {
    for (const mode of ["healthy", "failing"]) {
      progress(`load: ${runtime}, ${mode} collector …`);
      const key = runtime + "-" + mode;
      results.load[key] = await worker("load.mjs", [runtime, mode], { timeoutMs: 300_000 });
      if (BEFORE) results.load[key].before = await worker("load.mjs", [runtime, mode], { timeoutMs: 300_000, env: { FALLOM_BENCH_DIST: BEFORE } });
    }
  }
}

const load1 = os.loadavg();
const seconds = (Date.now() - started) / 1000;
progress(`done in ${seconds.toFixed(0)} s`);

function stat(values) {
  if (!values?.length) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values };
}

// ---- the table ----------------------------------------------------------------------------------------------

const KB = 1024;
const fmt = {
  ns: (v) => `${Math.round(v).toLocaleString("en-US")} ns`,
  us: (v) => `${v.toFixed(1)} µs`,
  ms: (v) => `${v.toFixed(2)} ms`,
  B: (v) => `${Math.round(v).toLocaleString("en-US")} B`,
  gz: (v) => `${(v / KB).toFixed(2)} KB`,
};
const range = (s, f) => (s && Number.isFinite(s.min) ? `${f(s.min)} – ${f(s.max)}` : "");

const rows = [];
/** value: number or summary; ok: true/false/null (null = information only) */
function row(group, metric, value, f, { base, baseLabel, target, limit } = {}) {
  const s = typeof value === "number" ? { median: value } : value;
  const v = s?.median;
  const has = typeof v === "number" && Number.isFinite(v);
  const b = typeof base === "number" ? { median: base } : base;
  const ok = limit === undefined || !has ? null : v <= limit;
  rows.push({
    group,
    metric,
    value: has ? v : null,
    min: s?.min ?? null,
    max: s?.max ?? null,
    base: b?.median ?? null,
    limit: limit ?? null,
    ok,
    cells: [
      metric,
      has ? f(v) : s?.note ?? "n/a",
      range(s?.min !== undefined && s.min !== s.max ? s : null, f),
      b && Number.isFinite(b.median) ? `${baseLabel ? baseLabel + " " : ""}${f(b.median)}` : "",
      target ?? "",
      (ok === null ? (limit === undefined ? "info" : "n/a") : ok ? "yes" : "NO") +
        // runs on both sides of the budget: this figure cannot decide the target on this machine right now
        (ok !== null && s.min <= limit && s.max > limit ? " (noisy)" : ""),
    ],
  });
}
const note = (text) => ({ median: NaN, note: text });

if (results.span) {
  const s = results.span;
  row("core", "ns per span: start + 8 attributes + end", s.fallom ?? note("failed"), fmt.ns, { base: s.otel, baseLabel: "OTel", target: "≤ 500 ns", limit: 500 });
  row("core", "  export work per span at flush (OTLP JSON + gzip; off the request path)", s.fallomFlush ?? note("failed"), fmt.ns, {});
}
if (results.heap) {
  const h = results.heap;
  row("core", "heap bytes per buffered span", h.fallom?.error ? note("failed") : h.fallom, fmt.B, { base: h.otel?.error ? undefined : h.otel, baseLabel: "OTel", target: "≤ 600 B", limit: 600 });
}
if (results.size) {
  const z = results.size;
  if (z.error) row("size", "min+gzip bundles", note("failed"), fmt.gz);
  else {
    row("size", "min+gzip: core entry (dist/core.js)", z.core.gzipBytes, fmt.gz, { base: z.otel.gzipBytes, baseLabel: "OTel", target: "≤ 6 KB", limit: 6 * KB });
    if (z.aiSdk.skipped) row("size", "min+gzip: SDK + traceModel (ai-sdk)", note("skipped"), fmt.gz, { target: "≤ 8 KB" });
    else row("size", "min+gzip: SDK + traceModel (ai-sdk)", z.aiSdk.gzipBytes, fmt.gz, { base: z.otel.gzipBytes, baseLabel: "OTel", target: "≤ 8 KB", limit: 8 * KB });
  }
}
if (results.import) {
  const m = results.import;
  row("import", "cold import ms: core entry (dist/core.js)", m.fallomCore ?? note("failed"), fmt.ms, { base: m.otel, baseLabel: "OTel", target: "≤ 2 ms", limit: 2 });
  row("import", "  cold import ms: main entry (dist/index.js, with the AI SDK integration)", m.fallom ?? note("failed"), fmt.ms, { base: m.otel, baseLabel: "OTel" });
  if (m.fallomAi) row("import", "  cold import ms: dist/index.js + dist/ai-sdk.js", m.fallomAi, fmt.ms, {});
  if (m.floor) row("import", "  cold import ms: a one-line module (Node's floor)", m.floor, fmt.ms, {});
}
if (results.ai?.skipped) {
  row("ai", "AI SDK overhead", note("skipped: " + results.ai.skipped), fmt.us);
} else if (results.ai) {
  const a = results.ai;
  const r = (x) => (x?.error ? note("failed") : x);
  const base = (x) => (x?.error ? undefined : x?.base);
  if (a.generate) row("ai", "generateText: added µs (traceModel − bare model)", r(a.generate.result?.added ?? a.generate), fmt.us, { base: base(a.generate.result), baseLabel: "untraced", target: "≤ 5 µs", limit: 5 });
  if (a.middleware) row("ai", "wrapLanguageModel: added µs (our middleware − empty middleware)", r(a.middleware.result?.added ?? a.middleware), fmt.us, { base: base(a.middleware.result), baseLabel: "empty mw", target: "≤ 5 µs", limit: 5 });
  if (a.stream) row("ai", `streamText (${a.stream.parts ?? 50} parts): added µs, whole stream`, r(a.stream.result?.added ?? a.stream), fmt.us, { base: base(a.stream.result), baseLabel: "untraced", target: "≤ 20 µs (5 + 50 × 0.3)", limit: 20 });
  if (a.model && !a.model.error) {
    row("ai", "  model level: doGenerate added µs", a.model.doGenerate.added, fmt.us, { base: a.model.doGenerate.base, baseLabel: "bare" });
    row("ai", "  model level: doStream fixed cost µs (intercept)", a.model.streamFixedUs, fmt.us, { target: "≤ 5 µs", limit: 5 });
    row("ai", "  model level: doStream per-part ns (slope 10→250 parts)", a.model.perPartNs, fmt.ns, { target: "≤ 300 ns", limit: 300 });
    if (a.model.passThroughFixedUs) row("ai", "    floor: a no-op pull pass-through, fixed µs (one more ReadableStream in this runtime)", a.model.passThroughFixedUs, fmt.us, {});
    if (a.model.passThroughPerPartNs) row("ai", "    floor: a no-op pull pass-through, per part ns (any stream layer in this runtime)", a.model.passThroughPerPartNs, fmt.ns, {});
  } else if (a.model) row("ai", "  model level", note("failed"), fmt.us);
  if (a.prompt && !a.prompt.error) {
    const p = a.prompt;
    const chars = (k) => `${p.promptJsonChars[k].toLocaleString("en-US")} chars`;
    for (const path of ["traceModel", "wrapAISDK"])
      for (const k of ["short", "long"])
        row("ai", `generateText via ${path}: added µs, ${k} prompt (${chars(k)} of JSON)`, p[`${path}_${k}`].added, fmt.us, { base: p[`${path}_${k}`].base, baseLabel: "untraced" });
    for (const path of ["traceModel", "wrapAISDK"])
      row("ai", `  ${path}: long − short prompt, added µs (flat: ≈ 0)`, p[`${path}_long`].added.median - p[`${path}_short`].added.median, fmt.us, { target: "≤ 2 µs", limit: 2 });
  } else if (a.prompt) row("ai", "generateText by prompt size", note("failed"), fmt.us);
  for (const capture of ["on", "off"]) {
    const x = a["retained_" + capture];
    if (!x) continue;
    for (const k of ["short", "long"])
      row("ai", `heap bytes a traced generateText keeps until export, ${k} prompt, capture ${capture}`, x.error ? note("failed") : x[k], fmt.B, {});
  }
  if (a.untaxed && !a.untaxed.error) {
    for (const [kind, label] of [["stream", "streamText (50 parts)"], ["generate", "generateText"]]) {
      const u = a.untaxed[kind];
      row("ai", `untraced ${label} µs, in a process that traces`, u.tracing, fmt.us, { base: u.plain, baseLabel: "never traces" });
      row("ai", `  tax on untraced ${label}: tracing − plain process, µs`, u.tax, fmt.us, {});
    }
  } else if (a.untaxed) row("ai", "untraced calls in a tracing process", note("failed"), fmt.us);
  if (a.alstax && !a.alstax.error) {
    row("ai", "  Node ALS promise-hook tax per generateText (process-wide)", a.alstax.generate.added, fmt.us, { base: a.alstax.generate.base, baseLabel: "hooks off" });
    row("ai", "  Node ALS promise-hook tax per streamText, 50 parts", a.alstax.stream.added, fmt.us, { base: a.alstax.stream.base, baseLabel: "hooks off" });
  } else if (a.alstax) row("ai", "  Node ALS promise-hook tax", note("failed"), fmt.us);
}

if (results.config?.error) row("config", "config/prompt cache", note("failed"), fmt.us);
else if (results.config) {
  const c = results.config;
  const half = c.langfuseGet.median / 2;
  row("config", "models.get warm, µs per call (MD5 of a 36-char session id included)", c.modelsGet, fmt.us, { base: c.langfuseGet, baseLabel: "Langfuse prompt.get", target: "≤ 0.5× Langfuse", limit: half });
  row("config", "prompts.get warm, µs per call (2 templates rendered)", c.promptsGet, fmt.us, { base: c.langfuseGetCompile, baseLabel: "Langfuse get+compile", target: "≤ 0.5× Langfuse", limit: c.langfuseGetCompile.median / 2 });
  row("config", "  the same beside Langfuse prompt.get alone (no compile)", c.promptsGet, fmt.us, { base: c.langfuseGet, baseLabel: "Langfuse prompt.get", target: "≤ 0.5× Langfuse", limit: half });
  row("config", "  heap bytes allocated per awaited models.get", c.allocated.modelsGet, fmt.B, { base: c.allocated.langfuseGet, baseLabel: "Langfuse get" });
  row("config", "    floor: an awaited Promise.resolve(model), the result itself", c.allocated.floor, fmt.B, {});
  row("config", "  prompts.get heap bytes per awaited call (the result object and its 2 strings)", c.allocated.promptsGet, fmt.B, {});
  row("config", "MD5 of a UUID, µs: in-house", c.md5.oursUs, fmt.us, { base: c.md5.nobleUs, baseLabel: "@noble/hashes" });
  row("config", "MD5 min+gzip: in-house", c.md5.oursGzip, fmt.B, { base: c.md5.nobleGzip, baseLabel: "@noble/hashes" });
  row("config", "snapshot validation min+gzip: hand validator", c.validator.handGzip, fmt.B, { base: c.validator.zodMiniGzip, baseLabel: "zod/mini" });
  row("config", "config/prompt module min+gzip beyond the core", c.configModule.gzip, fmt.B, {});
  row("config", "one KV read in workerd (Miniflare), ms: a configs snapshot", c.kvReadMs.error ? note("failed: " + c.kvReadMs.error) : c.kvReadMs, fmt.ms, {});
}

if (results.providers) {
  for (const [c, r] of Object.entries(results.providers)) {
    const peers = ["braintrust", "langfuse"].filter((p) => r[p] && !r[p].error && !r[p].skipped);
    const best = peers.sort((a, b) => r[a].added.median - r[b].added.median)[0];
    const ours = r.fallom?.error ? note("failed") : r.fallom?.added;
    const label = `${c.replace("-", " ")}: added µs per call`;
    const limit = best ? 0.3 * r[best].added.median : undefined;
    row("providers", label, ours, fmt.us, { base: best && r[best].added, baseLabel: best, target: best ? `≤ 0.3 × ${best} (${fmt.us(limit)})` : "", limit });
    for (const p of ["braintrust", "langfuse"]) {
      if (r[p]?.error) row("providers", `  ${p}`, note("failed"), fmt.us);
      else if (r[p]?.skipped) row("providers", `  ${p}`, note(r[p].skipped), fmt.us);
      else if (r[p]) row("providers", `  ${p}`, r[p].added, fmt.us, { base: r[p].base, baseLabel: "bare client" });
    }
  }
}

if (results.load) {
  const rps = (v) => `${Math.round(v)} req/s`;
  for (const [key, r] of Object.entries(results.load)) {
    const [runtime, mode] = key.split("-");
    const label = `${runtime}, ${r.requests?.toLocaleString("en-US")} requests × ${r.concurrency} in flight (${runtime === "node" ? "each awaits flush()" : "waitUntil(flush())"}), ${mode} collector`;
    if (r.error) {
      row("load", label, note("failed"), fmt.ms);
      continue;
    }
    const b = r.before && !r.before.error ? r.before : undefined;
    const healthy = mode === "healthy";
    row("load", label + ": requests/s", r.requestsPerSecond, rps, { base: b?.requestsPerSecond, baseLabel: "before", target: runtime === "node" && healthy ? "≥ 435 (5 × 87)" : undefined });
    row("load", "  flush p50", r.flushP50, fmt.ms, { base: b?.flushP50, baseLabel: "before", ...(runtime === "node" && healthy && { target: "< 20 ms", limit: 20 }) });
    row("load", "  flush p99", r.flushP99, fmt.ms, { base: b?.flushP99, baseLabel: "before" });
    row("load", `  last span delivered after the last response (${r.delivered}/${r.expected} spans)`, r.lastSpanAfterLastResponseMs, fmt.ms, {
      base: b?.lastSpanAfterLastResponseMs,
      baseLabel: "before",
      ...(runtime === "workerd" && healthy && { target: "≤ 1 s", limit: 1000 }),
    });
  }
}

const head = ["metric", "@fallom/trace (median)", "min – max", "OTel / baseline (median)", "target", "ok?"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r.cells[i]).length)));
const line = (cells) => "| " + cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ") + " |";
const sep = "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|";
const cpuModel = os.cpus()[0]?.model?.trim() ?? "?";
const out = [];
out.push(`@fallom/trace benchmark — Node ${process.version}, ${os.platform()}/${os.arch()}, ${cores} cores (${cpuModel})${QUICK ? ", QUICK mode" : ""}`);
out.push(`load average ${load0[0].toFixed(2)} at start, ${load1[0].toFixed(2)} at end; ${seconds.toFixed(0)} s`);
if (Math.max(load0[0], load1[0]) > cores * 0.75) {
  out.push(`WARNING: the machine was busy (load > ${(cores * 0.75).toFixed(1)}): wall-clock figures are inflated and noisy; rerun on an idle machine.`);
}
out.push("");
out.push(line(head));
out.push(sep);
let lastGroup;
for (const r of rows) {
  if (lastGroup && r.group !== lastGroup) out.push(line(head.map(() => "")));
  lastGroup = r.group;
  out.push(line(r.cells));
}
const problems = [
  ...(results.span?.errors ?? []),
  ...(results.import?.errors ?? []),
  ...["fallom", "otel"].map((k) => results.heap?.[k]?.error).filter(Boolean),
  results.size?.error,
  ...Object.values(results.ai ?? {}).map((x) => x?.error),
  results.config?.error,
  ...Object.values(results.providers ?? {}).flatMap((r) => Object.values(r).map((x) => x?.error)),
  ...Object.values(results.load ?? {}).flatMap((x) => [x?.error, x?.before?.error]),
].filter(Boolean);
if (results.ai?.skipped) out.push("", "AI SDK section skipped: " + results.ai.skipped);
if (results.size?.aiSdk?.skipped) out.push("", "AI SDK bundle skipped: " + results.size.aiSdk.skipped);
for (const [key, label, limitKb] of [["core", "core", 6], ["aiSdk", "SDK + traceModel", 8]]) {
  const z = results.size?.[key];
  if (z?.gzipBytes > limitKb * KB && z.bySource?.length && !z.bySource[0].error) {
    const top = z.bySource.slice(0, 6).map((x) => `${x.file.replace(/^src\//, "")} ${(x.minBytes / KB).toFixed(1)}`);
    out.push("", `${label} over budget — minified KB by source file (before gzip): ${top.join(", ")}`);
  }
}
if (problems.length) out.push("", "Errors:", ...problems.map((p) => "  " + p.replace(/\n/g, "\n    ")));
out.push("", `OTel = @opentelemetry/sdk-trace-base BasicTracerProvider + BatchSpanProcessor, no-op exporter. KB = 1024 bytes. Details: bench/README.md; raw runs: bench/results/latest.json`);
console.log(out.join("\n"));

const failed = rows.filter((r) => r.ok === false).map((r) => r.metric.trim());
writeFileSync(
  path.join(RESULTS, "latest.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()}/${os.arch()}`,
      cpu: cpuModel,
      cores,
      loadavg: { start: load0, end: load1 },
      quick: QUICK,
      only: ONLY ? [...ONLY] : undefined,
      seconds,
      rows: rows.map(({ cells, ...r }) => r),
      missedTargets: failed,
      results,
    },
    null,
    2,
  ) + "\n",
);
rmSync(SNAPSHOT, { recursive: true, force: true });
