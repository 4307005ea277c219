// The init() options only the config/prompt module reads, validated here (so the core entry does not pay for them):
// bad values are reported once with console.warn, as init reports its own, and replaced by their defaults.
import { getOptions, type ResolvedOptions } from "../core/internal";
import type { CacheStore } from "./types";

export interface ConfigOptions extends ResolvedOptions {
  cache?: CacheStore;
  cacheTtlMs: number;
  cacheMaxAgeMs: number;
  configTimeoutMs: number;
  /** snapshot URLs, built once */
  urls: { configs: string; prompts: string; abTests: string };
}

// name: [default, minimum]
const NUMBERS = { cacheTtlMs: [30000, 0], cacheMaxAgeMs: [86400000, 0], configTimeoutMs: [2000, 1] } as const;

// the last init's options and their extension (one init per isolate: no map needed)
let lastResolved: ResolvedOptions | undefined;
let lastConfig: ConfigOptions | undefined;

const bad = (name: string, want: string, value: unknown, used: string) => {
  try {
    console.warn(`[fallom] ${name} must be ${want} (got ${typeof value == "string" ? JSON.stringify(value) : String(value)}); using ${used}`);
  } catch {}
};

/** The SDK's options plus the config/prompt ones, or undefined before init() / without an apiKey */
export function configOptions(): ConfigOptions | undefined {
  const o = getOptions();
  if (!o) return;
  let c = o === lastResolved ? lastConfig : undefined;
  if (!c) {
    const input: any = o.input ?? {};
    c = { ...o, urls: { configs: o.configsUrl + "/configs", prompts: o.promptsUrl + "/prompts", abTests: o.promptsUrl + "/prompt-ab-tests" } } as ConfigOptions;
    for (const [name, [fallback, min]] of Object.entries(NUMBERS)) {
      const v = input[name];
      const ok = typeof v == "number" && v >= min;
      (c as any)[name] = ok ? Math.floor(v) : fallback;
      if (!ok && v !== undefined) bad(name, "a number >= " + min, v, String(fallback));
    }
    const cache = input.cache;
    if (cache && typeof cache.get == "function" && typeof cache.put == "function") c.cache = cache;
    else if (cache !== undefined) bad("cache", 'a store with get(key, "json") and put(key, value, { expirationTtl })', cache, "memory only");
    lastResolved = o;
    lastConfig = c;
  }
  return c;
}
