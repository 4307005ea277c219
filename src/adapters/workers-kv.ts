import type { CacheStore } from "../core/options";

/** The subset of a Workers KV namespace binding the SDK uses */
export interface KVNamespaceLike {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/**
 * A Workers KV namespace as the config/prompt store: `init({ cache: workersKVStore(env.FALLOM_KV) })`.
 * (The binding itself also works as `cache`; this names the intent and checks the binding.)
 */
export function workersKVStore(namespace: KVNamespaceLike): CacheStore {
  if (!namespace || typeof namespace.get != "function" || typeof namespace.put != "function") {
    // never throws: the SDK keeps its in-memory tier and reports each failed store call to onError
    const problem = "workersKVStore(namespace): pass a KV namespace binding, e.g. env.FALLOM_KV (see [[kv_namespaces]] in wrangler.toml)";
    try {
      console.warn("[fallom] " + problem);
    } catch {}
    const fail = () => Promise.reject(new TypeError(problem));
    return { get: fail, put: fail, delete: fail };
  }
  return {
    get: (key, type) => namespace.get(key, type),
    // KV's minimum expirationTtl is 60 s
    put: (key, value, options) => namespace.put(key, value, { expirationTtl: Math.max(60, options?.expirationTtl ?? 86400) }),
    delete: (key) => namespace.delete(key),
  };
}
