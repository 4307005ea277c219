// Runs the demo's two Workers in workerd via Miniflare, each on a free 127.0.0.1 port: the local collector
// (worker-example/collector, in-memory D1) and the example app (worker-example/, in-memory KV). Used by
// `npm run demo` and the tests. Node only.
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Log, LogLevel, Miniflare } from "miniflare";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const COMPATIBILITY_DATE = "2026-07-01";

/** Bundles a Worker entry the way wrangler does for workerd (the repo's src/ stands in for the package). */
export async function bundleWorker(entry) {
  const result = await esbuild.build({
    entryPoints: [new URL(entry, `file://${ROOT}`).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    external: ["cloudflare:workers"],
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    logLevel: "silent",
    alias: {
      "@fallom/trace/collector": `${ROOT}src/collector/index.ts`,
      "@fallom/trace/ai-sdk": `${ROOT}src/integrations/ai-sdk/index.ts`,
      "@fallom/trace/hono": `${ROOT}src/integrations/hono/workerd.ts`,
      "@fallom/trace": `${ROOT}src/index.ts`,
    },
    define: { __SDK_VERSION__: JSON.stringify("0.0.0-local") },
  });
  return result.outputFiles[0].text;
}

/** workerd's own output (console, runtime warnings such as cross-request I/O), kept for tests to read. */
function captureOutput(lines, verbose) {
  return (stdout, stderr) => {
    for (const stream of [stdout, stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        if (verbose) process.stderr.write(chunk);
      });
    }
  };
}

/**
 * @param {{ apiKey?: string, port?: number, bindings?: Record<string, string>, verbose?: boolean, script?: string }} [options]
 * @returns {Promise<{ url: string, apiKey: string, mf: Miniflare, output: string[], dispose(): Promise<void> }>}
 */
export async function startCollector(options = {}) {
  const apiKey = options.apiKey ?? "local-dev-key";
  const script = options.script ?? (await bundleWorker("worker-example/collector/index.ts"));
  const output = [];
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "collector.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    d1Databases: { DB: "fallom-collector" },
    bindings: { COLLECTOR_API_KEY: apiKey, ...options.bindings },
    host: "127.0.0.1",
    port: options.port ?? 0,
    cf: false,
    log: new Log(options.verbose ? LogLevel.DEBUG : LogLevel.WARN),
    handleRuntimeStdio: captureOutput(output, options.verbose),
  });
  const url = (await mf.ready).origin;
  let disposed;
  return { url, apiKey, mf, output, dispose: () => (disposed ??= mf.dispose()) };
}

/**
 * The example Worker (root wrangler.toml's `main`), sending to `collectorUrl` with `apiKey`.
 * @param {{ collectorUrl: string, apiKey: string, bindings?: Record<string, string>, verbose?: boolean, script?: string }} options
 * @returns {Promise<{ url: string, mf: Miniflare, output: string[], dispose(): Promise<void> }>}
 */
export async function startExample(options) {
  const script = options.script ?? (await bundleWorker("worker-example/index.ts"));
  const output = [];
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ["FALLOM_KV"],
    bindings: { FALLOM_API_KEY: options.apiKey, FALLOM_BASE_URL: options.collectorUrl, ...options.bindings },
    host: "127.0.0.1",
    port: 0,
    cf: false,
    log: new Log(options.verbose ? LogLevel.DEBUG : LogLevel.WARN),
    handleRuntimeStdio: captureOutput(output, options.verbose),
  });
  const url = (await mf.ready).origin;
  let disposed;
  return { url, mf, output, dispose: () => (disposed ??= mf.dispose()) };
}
