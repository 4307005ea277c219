// The config/prompt code is paid for only by apps that use it: the core entry (and core + traceModel) bundle none
// of it, so the core entry's size guard (test/runtimes/bundle.test.ts, CORE_BUDGET) is untouched; the main entry
// (models/prompts) has it, with no node: import; the adapters subpath is small and edge-clean.
import { gzipSync } from "node:zlib";
import { beforeAll, expect, it } from "vitest";
import { bundle, CORE_ENTRY, ROOT, SDK_ENTRY } from "../runtimes/harness";

// strings only the config module contains: the A/B-test endpoint, the exposure path, an MD5 round constant
const MARKERS = ["prompt-ab-tests", "/sessions", "3614090360", "d76aa478"];
const has = (code: string) => MARKERS.filter((m) => code.includes(m));
const minified: Record<string, string> = {};

beforeAll(async () => {
  const entries: Record<string, string | { contents: string; resolveDir: string }> = {
    core: CORE_ENTRY,
    index: SDK_ENTRY,
    adapters: ROOT + "src/adapters/index.ts",
    coreWithTraceModel: {
      contents: `import fallom from "./src/core/index";\nimport { traceModel } from "./src/integrations/ai-sdk/index";\nexport const m = traceModel({}, { session: fallom.session({}) });`,
      resolveDir: ROOT,
    },
  };
  for (const [name, entry] of Object.entries(entries)) minified[name] = await bundle(entry, "esm", { minify: true, platform: "neutral" });
});

it("the core entry and core + traceModel contain no config/prompt code", () => {
  expect(has(minified.core!)).toEqual([]);
  expect(has(minified.coreWithTraceModel!)).toEqual([]);
});

it("the main entry has models/prompts (and the sticky MD5)", () => {
  expect(has(minified.index!).length).toBeGreaterThanOrEqual(2);
});

it("the adapters subpath is small and imports nothing from node:", () => {
  const code = minified.adapters!;
  expect(code).not.toMatch(/from\s*["']node:|import\s*\(\s*["']node:/);
  const gz = gzipSync(code, { level: 9 }).length;
  console.log(`[budget] adapters entry: ${gz} B min+gzip`);
  expect(gz).toBeLessThan(1024);
});
