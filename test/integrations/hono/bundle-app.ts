// Bundles an app the way its platform resolves "@fallom/trace/*": through the built package (dist/ and the
// package.json exports map) installed in a temp node_modules, with that platform's export conditions.
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { ROOT, SDK_VERSION, tempDir } from "../../runtimes/harness";

export const HERE = join(ROOT, "test/integrations/hono");

// what each platform's bundler / runtime resolves package exports with (wrangler: workerd, worker, browser)
export const TARGETS = {
  workerd: { conditions: ["workerd", "worker", "browser"], platform: "neutral" },
  bun: { conditions: ["bun", "node"], platform: "node" },
  deno: { conditions: ["deno", "node"], platform: "node" },
  node: { conditions: ["node"], platform: "node" },
  "edge-light": { conditions: ["edge-light", "worker", "browser"], platform: "neutral" },
} as const;
export type Target = keyof typeof TARGETS;

export interface AppBundler {
  /** the temp dir holding node_modules/@fallom/trace (a link to the repo); server bundles are written here */
  tmp: ReturnType<typeof tempDir>;
  /** ESM, or a script (IIFE) for edge-runtime, which evaluates scripts only */
  bundle(contents: string, target: Target, format?: "esm" | "iife"): Promise<string>;
}

export function appBundler(): AppBundler {
  const tmp = tempDir("fallom-hono-");
  mkdirSync(join(tmp.dir, "node_modules/@fallom"), { recursive: true });
  symlinkSync(ROOT, join(tmp.dir, "node_modules/@fallom/trace"), "dir");
  return {
    tmp,
    async bundle(contents, target, format = "esm") {
      const { conditions, platform } = TARGETS[target];
      const result = await esbuild.build({
        stdin: { contents, resolveDir: HERE, sourcefile: "entry.ts", loader: "ts" },
        bundle: true,
        write: false,
        format,
        platform,
        conditions: [...conditions],
        mainFields: platform == "node" ? ["module", "main"] : ["browser", "module", "main"],
        nodePaths: [join(tmp.dir, "node_modules"), join(ROOT, "node_modules")],
        external: ["cloudflare:*", "node:*"],
        target: "es2022",
        logLevel: "silent",
        define: { __SDK_VERSION__: JSON.stringify(SDK_VERSION) },
        // CommonJS dependencies of ai (require("path")) inside an ESM bundle for the server runtimes
        banner: platform == "node" ? { js: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);` } : undefined,
      });
      return result.outputFiles[0]!.text;
    },
  };
}

/** workerd's own messages about I/O or promises crossing requests, and unfinished waitUntil work */
export const CROSS_REQUEST = /different request context|cross-context|waitUntil\(\) tasks did not complete|Cannot perform I\/O|stalled/i;
