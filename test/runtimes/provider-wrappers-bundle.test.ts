// What the provider client wrappers add to the default import (`import fallom from "@fallom/trace"`, whose sessions
// have wrapOpenAI / wrapAnthropic / wrapGoogleAI / wrapMastraAgent): each wrapper module is swapped for an identity
// stub to get the size without it. Budget: all of them together ≤ 5 KB min+gzip.
import { gzipSync } from "node:zlib";
import type * as esbuild from "esbuild";
import { expect, it } from "vitest";
import { bundle, SDK_ENTRY } from "./harness";

const WRAPPERS = {
  openai: ["wrap-openai", "wrapOpenAI"],
  anthropic: ["wrap-anthropic", "wrapAnthropic"],
  google: ["wrap-google", "wrapGoogleAI"],
  mastra: ["wrap-mastra", "wrapMastraAgent"],
} as const;
type Name = keyof typeof WRAPPERS;
const BUDGET = 5 * 1024;

/** min+gzip bytes of the default entry with only `real` wrappers built in, the others stubbed */
async function size(real: Name[]): Promise<number> {
  const stub: esbuild.Plugin = {
    name: "stub-wrappers",
    setup(build) {
      build.onResolve({ filter: /integrations\/\w+\/wrap-[\w-]+$/ }, (args) => {
        const hit = Object.entries(WRAPPERS).find(([, [file]]) => args.path.endsWith("/" + file));
        return hit && !real.includes(hit[0] as Name) ? { path: hit[1][1], namespace: "stub" } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "stub" }, (args) => ({ contents: `export const ${args.path} = (x) => x;`, loader: "js" }));
    },
  };
  const code = await bundle(SDK_ENTRY, "esm", { minify: true, platform: "neutral", extra: { plugins: [stub] } });
  return gzipSync(code, { level: 9 }).length;
}

it(`the four provider wrappers add at most ${BUDGET} B min+gzip to the default import (reported per wrapper)`, async () => {
  const names = Object.keys(WRAPPERS) as Name[];
  const none = await size([]);
  const all = await size(names);
  const each: Record<string, number> = {};
  for (const n of names) each[n] = (await size([n])) - none;
  console.log(`[budget] default import: ${none} B without provider wrappers, ${all} B with all (+${all - none} B); alone: ${JSON.stringify(each)}`);
  expect(all - none).toBeLessThanOrEqual(BUDGET);
}, 60_000);
