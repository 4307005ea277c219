// Stores for config/prompt snapshots, all with the Workers KV interface: init({ cache: <store> }).
export { memoryStore } from "./memory";
export { workersKVStore, type KVNamespaceLike } from "./workers-kv";
export { cacheApiStore, type CacheLike } from "./cache-api";
export type { CacheStore } from "../core/options";
