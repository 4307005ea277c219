import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

// One entry per public subpath; keys must match package.json "exports" (checked by test/package/exports.test.ts).
export const entries = {
  index: "src/index.ts",
  core: "src/core/index.ts",
  "ai-sdk": "src/integrations/ai-sdk/index.ts",
  pricing: "src/pricing/index.ts",
};

export default defineConfig({
  entry: entries,
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  minify: true,
  define: { __SDK_VERSION__: JSON.stringify(version) },
});
