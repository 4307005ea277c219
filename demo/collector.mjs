// Starts the local collector (worker-example/collector) in workerd via Miniflare, with an in-memory D1, on a free
// 127.0.0.1 port. Used by `npm run demo` and the collector tests. Node only.
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
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    logLevel: "silent",
    alias: {
      "@fallom/trace/collector": `${ROOT}src/collector/index.ts`,
      "@fallom/trace/ai-sdk": `${ROOT}src/integrations/ai-sdk/index.ts`,
      "@fallom/trace": `${ROOT}src/index.ts`,
    },
    define: { __SDK_VERSION__: JSON.stringify("0.0.0-local") },
  });
  return result.outputFiles[0].text;
}

/**
 * @param {{ apiKey?: string, port?: number, bindings?: Record<string, string>, verbose?: boolean, script?: string }} [options]
 * @returns {Promise<{ url: string, apiKey: string, mf: Miniflare, dispose(): Promise<void> }>}
 */
export async function startCollector(options = {}) {
  const apiKey = options.apiKey ?? "local-dev-key";
  const script = options.script ?? (await bundleWorker("worker-example/collector/index.ts"));
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "collector.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    d1Databases: { DB: "fallom-collector" },
    bindings: { COLLECTOR_API_KEY: apiKey, ...options.bindings },
    host: "127.0.0.1",
    port: options.port ?? 0,
    cf: false,
    log: new Log(options.verbose ? LogLevel.DEBUG : LogLevel.WARN),
  });
  const url = (await mf.ready).origin;
  let disposed;
  return { url, apiKey, mf, dispose: () => (disposed ??= mf.dispose()) };
}
