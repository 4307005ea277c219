// min+gzip bytes: esbuild (bundle, minify, esm) then gzip -9 (node:zlib, level 9). Deterministic: one run.
// Ours: platform "neutral" (what an edge bundler sees; no node: fallbacks). OpenTelemetry cannot be bundled for
// "neutral" (its package.json "browser" map is the only thing that keeps node's util/os/perf_hooks out), so it is
// bundled for "browser" — the lightest build of it a Worker/edge bundler produces.
import * as esbuild from "esbuild";
import { gzipSync } from "node:zlib";
import { DIST, ROOT, distHas, distUrl, emit } from "../lib/common.mjs";
import path from "node:path";

const rel = (file) => "./" + path.relative(ROOT, path.join(DIST, file)).split(path.sep).join("/");

async function size(name, contents, platform, extra = {}) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: "js", sourcefile: name + ".mjs" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // the AI SDK itself is the app's own weight, not ours (the integration must not import it at runtime anyway)
    external: ["ai", "@ai-sdk/*"],
    ...extra,
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  const nodeImports = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].imports
    .map((i) => i.path)
    .filter((p) => p.startsWith("node:"));
  // the biggest contributors, for the README / when a budget is missed
  const out = Object.values(result.metafile.outputs)[0];
  const top = Object.entries(out.inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, 6)
    .map(([file, v]) => ({ file: file.replace(/^.*node_modules\//, ""), minBytes: v.bytesInOutput }));
  return { name, minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, files: inputs.length, nodeImports, top };
}

const results = {};

// 1. the core entry as published (every export kept: an upper bound for what an app pulls in)
results.core = await size("core", `export * from ${JSON.stringify(rel("core.js"))};\nexport { default } from ${JSON.stringify(rel("core.js"))};`, "neutral");

// 2. "import the SDK and trace an AI SDK model"
let aiProblem;
if (!distHas("ai-sdk.js")) aiProblem = "dist/ai-sdk.js not found";
else {
  const mod = await import(distUrl("ai-sdk.js"));
  if (typeof mod.traceModel !== "function") aiProblem = "dist/ai-sdk.js does not export traceModel yet (src/integrations/ai-sdk is unfinished)";
}
if (aiProblem) results.aiSdk = { skipped: aiProblem };
else {
  results.aiSdk = await size(
    "sdk+ai-sdk",
    `import fallom from ${JSON.stringify(rel("index.js"))};
import { traceModel } from ${JSON.stringify(rel("ai-sdk.js"))};
export async function traced(model, env) {
  await fallom.init({ apiKey: env.FALLOM_API_KEY });
  const session = fallom.session({ sessionId: "s" });
  return traceModel(model, { session });
}
export const flush = () => fallom.flush();`,
    "neutral",
  );
}

// 3. the lightest OpenTelemetry tracing stack: api + sdk-trace-base (BasicTracerProvider + BatchSpanProcessor), no-op exporter
results.otel = await size(
  "otel",
  `import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
const exporter = { export(spans, done) { done({ code: 0 }); }, shutdown: () => Promise.resolve() };
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer("app");
export function traced(name, attributes) { const span = tracer.startSpan(name); span.setAttributes(attributes); span.end(); }
export const flush = () => provider.forceFlush();`,
  "browser",
);

// where the bytes come from: the same bundles built from src/ (tsup is esbuild too), minified bytes per source file
async function bySource(contents) {
  try {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: ROOT, loader: "ts", sourcefile: "entry.ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["ai", "@ai-sdk/*"],
      define: { __SDK_VERSION__: '"0.0.0"' },
    });
    const out = Object.values(r.metafile.outputs)[0];
    return Object.entries(out.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .map(([file, v]) => ({ file, minBytes: v.bytesInOutput }));
  } catch (e) {
    return [{ error: String(e?.message ?? e).slice(0, 300) }];
  }
}
results.core.bySource = await bySource(`export * from "./src/core/index";\nexport { default } from "./src/core/index";`);
if (!results.aiSdk.skipped) {
  results.aiSdk.bySource = await bySource(
    `import fallom from "./src/index";\nimport { traceModel } from "./src/integrations/ai-sdk/index";\nexport const t = (m: any) => traceModel(m, { session: fallom.session({}) });`,
  );
}

emit(results);
