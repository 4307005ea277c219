import type { CacheStore } from "../core/options";

/** The subset of the Cache API (`caches.default`, `await caches.open(name)`) the store uses */
export interface CacheLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

// Cache API keys are URLs; this host never resolves, it only names entries
const keyUrl = (key: string) => new Request("https://fallom-cache.invalid/" + encodeURIComponent(key));

/**
 * The Cache API as the config/prompt store (per data centre on Workers, no binding needed):
 * `init({ cache: cacheApiStore() })` uses `caches.default`, or pass a cache (`await caches.open("fallom")`).
 */
export function cacheApiStore(cache?: CacheLike | Promise<CacheLike>): CacheStore {
  const open = async (): Promise<CacheLike> => {
    const c = (await cache) ?? (globalThis as any).caches?.default ?? (await (globalThis as any).caches?.open?.("fallom"));
    if (!c) throw new Error("cacheApiStore(): this runtime has no Cache API (caches); pass a cache or use memoryStore()");
    return c;
  };
  return {
    async get(key) {
      const response = await (await open()).match(keyUrl(key));
      return response ? response.json() : null;
    },
    async put(key, value, options) {
      const ttl = Math.max(1, Math.floor(options?.expirationTtl ?? 86400));
      const headers = { "Content-Type": "application/json", "Cache-Control": "max-age=" + ttl };
      await (await open()).put(keyUrl(key), new Response(value, { headers }));
    },
    async delete(key) {
      await (await open()).delete(keyUrl(key));
    },
  };
}
