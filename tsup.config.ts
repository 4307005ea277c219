import { readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Options } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

// One entry per public subpath; keys must match package.json "exports" (checked by test/package/exports.test.ts).
export const entries = {
  index: "src/index.ts",
  core: "src/core/index.ts",
  "ai-sdk": "src/integrations/ai-sdk/index.ts",
  pricing: "src/pricing/index.ts",
  hono: "src/integrations/hono/index.ts",
  adapters: "src/adapters/index.ts",
  collector: "src/collector/index.ts",
  langfuse: "src/integrations/langfuse/index.ts",
  openai: "src/integrations/openai/index.ts",
  anthropic: "src/integrations/anthropic/index.ts",
  google: "src/integrations/google/index.ts",
  mastra: "src/integrations/mastra/index.ts",
};

// Files a subpath loads under an export condition instead of its entry (same types): the Workers build of
// ./hono is the only file importing `cloudflare:workers`, so no other runtime ever sees that import.
export const conditionEntries = {
  "hono-workerd": "src/integrations/hono/workerd.ts",
};

const CORE_DIRS = ["src/core", "src/export"].map((d) => path.resolve(d) + path.sep);
const inCore = (file: string) => CORE_DIRS.some((d) => file.startsWith(d));
const CORE_ENTRY = path.resolve(entries.core);

// Every entry, "./core" included, loads the core from one private module, dist/internal.js (.cjs for require):
// a cold import reads one core file, the SDK's state exists once however many entries an app imports, and the
// helpers the integrations share with the core stay out of the public types and the "exports" map.
const coreFromInternal = {
  name: "core-from-internal",
  setup(build: any) {
    // tsup builds split CommonJS as ESM with a .cjs extension, then converts it
    const file = build.initialOptions.outExtension?.[".js"] === ".cjs" ? "./internal.cjs" : "./internal.js";
    build.onResolve({ filter: /^\./ }, (args: any) => {
      if (args.kind === "entry-point" || (inCore(args.importer) && args.importer !== CORE_ENTRY)) return;
      const target = path.resolve(args.resolveDir, args.path);
      return inCore(target + ".ts") || inCore(target + path.sep) ? { path: file, external: true } : undefined;
    });
  },
};

const shared: Options = {
  // ESM, and CommonJS for require() (Node's require of ESM is not available everywhere users run CJS)
  format: ["esm", "cjs"],
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
  minify: true,
  define: { __SDK_VERSION__: JSON.stringify(version) },
};

export default defineConfig([
  { ...shared, entry: { internal: "src/core/internal.ts" }, splitting: false, dts: false },
  {
    ...shared,
    entry: { ...entries, ...conditionEntries },
    splitting: true,
    dts: false,
    external: ["cloudflare:workers"],
    esbuildPlugins: [coreFromInternal],
  },
  // types for every entry in one pass (.d.ts for import, .d.cts for require), so a Span from "@fallom/trace" and one
  // from "@fallom/trace/core" are the same type
  { entry: entries, dts: { only: true }, format: ["esm", "cjs"], target: "es2022" },
]);
