// One contract for every config/prompt store: memory (Node), and — inside workerd (Miniflare) — Workers KV over a
// real KV namespace and the Cache API over caches.default. The interface is the KV binding's:
// get(key, "json"), put(key, value, { expirationTtl }), delete(key).
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore, workersKVStore } from "../../src/adapters/index";
import type { CacheStore } from "../../src/core/options";
import { bundle, COMPATIBILITY_DATE } from "../runtimes/harness";

// runs each store call inside workerd, on the adapter built there
const WORKER = `
import { cacheApiStore, workersKVStore } from "../../src/adapters/index";
export default {
  async fetch(request, env) {
    const { store, op, args } = await request.json();
    const s = store === "kv" ? workersKVStore(env.KV) : cacheApiStore();
    try {
      return Response.json({ result: (await s[op](...args)) ?? null });
    } catch (error) {
      return Response.json({ error: String(error) });
    }
  },
};`;

let mf: Miniflare;
const inWorkerd = (store: string): CacheStore => {
  const call = (op: string) => async (...args: unknown[]) => {
    const r: any = await (await mf.dispatchFetch("http://worker.test/", { method: "POST", body: JSON.stringify({ store, op, args }) })).json();
    if (r.error) throw new Error(r.error);
    return r.result;
  };
  return { get: call("get"), put: call("put"), delete: call("delete") } as CacheStore;
};
const stores: Record<string, () => Promise<CacheStore>> = {
  memory: async () => memoryStore(),
  "workers KV": async () => inWorkerd("kv"),
  "Cache API": async () => inWorkerd("cache"),
};

beforeAll(async () => {
  const script = await bundle({ contents: WORKER, resolveDir: new URL(".", import.meta.url).pathname }, "esm");
  mf = new Miniflare({ modules: [{ type: "ESModule", path: "w.mjs", contents: script }], compatibilityDate: COMPATIBILITY_DATE, kvNamespaces: ["KV"], cf: false });
  await mf.ready;
});
afterAll(async () => {
  await mf?.dispose();
});

describe.each(Object.keys(stores))("%s store", (name) => {
  const key = (k: string) => `fallom:v1:test:${name}:https://configs.fallom.com/${k}`;

  it("a missing key reads as null", async () => {
    const store = await stores[name]!();
    expect(await store.get(key("missing"), "json")).toBeNull();
  });

  it("put then get returns the parsed JSON (a whole snapshot, ~100 KB)", async () => {
    const store = await stores[name]!();
    const snapshot = { at: 1, etag: '"abc"', body: { configs: Array.from({ length: 500 }, (_, i) => ({ key: "k" + i, version: 1, variants: [{ model: "m".repeat(150), weight: 100 }] })) } };
    await store.put(key("configs"), JSON.stringify(snapshot), { expirationTtl: 86400 });
    expect(await store.get(key("configs"), "json")).toEqual(snapshot);
  });

  it("put overwrites; delete removes", async () => {
    const store = await stores[name]!();
    await store.put(key("x"), JSON.stringify({ v: 1 }), { expirationTtl: 60 });
    await store.put(key("x"), JSON.stringify({ v: 2 }), { expirationTtl: 60 });
    expect(await store.get(key("x"), "json")).toEqual({ v: 2 });
    await store.delete!(key("x"));
    expect(await store.get(key("x"), "json")).toBeNull();
  });

  it("keys with URL characters (/, ?, %, spaces, unicode) stay distinct", async () => {
    const store = await stores[name]!();
    const keys = ["configs/a b/version/1", "configs/a%20b/version/1", "prompts?x=1", "prompts/日本"];
    for (const [i, k] of keys.entries()) await store.put(key(k), JSON.stringify({ i }), { expirationTtl: 60 });
    for (const [i, k] of keys.entries()) expect(await store.get(key(k), "json")).toEqual({ i });
  });
});

it("workersKVStore without a binding never throws: each call rejects with a message saying what to pass", async () => {
  const warn = console.warn;
  console.warn = () => {};
  try {
    const store = workersKVStore(undefined as any);
    await expect(store.get("k", "json")).rejects.toThrow("pass a KV namespace binding");
  } finally {
    console.warn = warn;
  }
});
