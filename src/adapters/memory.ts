import type { CacheStore } from "../core/options";

/**
 * An in-process store with the Workers KV interface (tests, long-lived Node/Bun/Deno servers sharing one store
 * between SDK instances). Values expire after `expirationTtl` seconds, as in KV.
 */
export function memoryStore(): CacheStore & { size(): number } {
  const values = new Map<string, { value: string; expires: number }>();
  const live = (key: string) => {
    const hit = values.get(key);
    if (hit && hit.expires <= Date.now()) values.delete(key);
    else return hit;
  };
  return {
    async get(key, _type) {
      const hit = live(key);
      return hit ? JSON.parse(hit.value) : null;
    },
    async put(key, value, options) {
      const ttl = options?.expirationTtl;
      values.set(key, { value: String(value), expires: typeof ttl == "number" ? Date.now() + ttl * 1000 : Infinity });
    },
    async delete(key) {
      values.delete(key);
    },
    size: () => values.size,
  };
}
