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
  openai: "src/integrations/openai/index.ts",
  anthropic: "src/integrations/anthropic/index.ts",
  google: "src/integrations/google/index.ts",
  mastra: "src/integrations/mastra/index.ts",
};

const CORE_DIRS = ["src/core", "src/export"].map((d) => path.resolve(d) + path.sep);
const inCore = (file: string) => CORE_DIRS.some((d) => file.startsWith(d));

// The other entries load the core from dist/core.js (one file: a cold import of the core reads one module, and
// the SDK's state exists once however many entries an app imports)
const coreFromCoreJs = {
  name: "core-from-core-js",
  setup(build: any) {
    build.onResolve({ filter: /^\./ }, (args: any) => {
      if (inCore(args.importer)) return;
      const target = path.resolve(args.resolveDir, args.path);
      return inCore(target + ".ts") || inCore(target + path.sep) ? { path: "./core.js", external: true } : undefined;
    });
  },
};

const shared: Options = {
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
  minify: true,
  define: { __SDK_VERSION__: JSON.stringify(version) },
};

export default defineConfig([
  { ...shared, entry: { core: entries.core }, splitting: false, dts: false },
  {
    ...shared,
    entry: {
      index: entries.index,
      "ai-sdk": entries["ai-sdk"],
      pricing: entries.pricing,
      openai: entries.openai,
      anthropic: entries.anthropic,
      google: entries.google,
      mastra: entries.mastra,
    },
    splitting: true,
    dts: false,
    esbuildPlugins: [coreFromCoreJs],
  },
  // types for every entry in one pass, so a Span from "@fallom/trace" and one from "@fallom/trace/core" are the same type
  { entry: entries, dts: { only: true }, format: ["esm"], target: "es2022" },
]);
