// The config/prompt cache in workerd (Miniflare) with a real KV namespace, a fresh isolate per case:
// cold start, warm memory hit, KV hit after an isolate restart, stale-while-revalidate with ONE refresh,
// origin down (stale served, fallback used), 404 eviction, malformed JSON, failing KV writes, 1000 concurrent
// lookups → 1 origin request, overlapping requests whose first one ends early — and no cross-request warnings.
import { createHash } from "node:crypto";
import { Miniflare } from "miniflare";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { docsData, startFakeOrigin, type FakeOrigin } from "../support/fake-origin";
import { bundle, COMPATIBILITY_DATE, tempDir } from "../runtimes/harness";

const WORKER = `
import fallom, { models, prompts } from "@fallom/trace";
const errors = [];
const kvCalls = { get: 0, put: 0 };
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const q = url.searchParams;
    if (url.pathname === "/errors") return Response.json({ errors, kvCalls });
    // the real KV binding, counted (and failing writes on demand)
    const cache = {
      get: (key, type) => (kvCalls.get++, env.KV.get(key, type)),
      put: (key, value, options) => (kvCalls.put++, env.FAIL_PUT ? Promise.reject(new Error("KV put limit exceeded")) : env.KV.put(key, value, options)),
      delete: (key) => env.KV.delete(key),
    };
    await fallom.init({
      apiKey: "k", configsUrl: env.ORIGIN, promptsUrl: env.ORIGIN, tracesUrl: env.ORIGIN, flushIntervalMs: 0, cache,
      cacheTtlMs: Number(env.TTL), configTimeoutMs: Number(env.TIMEOUT), onError: (e) => errors.push(String(e.message)),
    });
    const key = q.get("key") ?? "linkedin-agent";
    const fallback = q.get("fallback") ?? undefined;
    const version = q.has("version") ? Number(q.get("version")) : undefined;
    if (url.pathname === "/early") {
      models.get(key, "early").catch(() => {}); // lookup left running: this request ends first
      return Response.json({ early: true });
    }
    if (url.pathname === "/many") {
      const all = await Promise.all(Array.from({ length: Number(q.get("n")) }, () => models.get(key, "same-session", { fallback })));
      ctx.waitUntil(fallom.flush());
      return Response.json({ n: all.length, distinct: [...new Set(all)] });
    }
    if (url.pathname === "/prompt") {
      const p = await prompts.get("onboarding", { variables: { userName: "Ada" } });
      ctx.waitUntil(fallom.flush());
      return Response.json(p);
    }
    const started = Date.now();
    let model, error;
    try {
      model = await models.get(key, q.get("session") ?? "user-1", { version, fallback });
    } catch (e) {
      error = String(e.message);
    }
    ctx.waitUntil(fallom.flush());
    return Response.json({ model, error, ms: Date.now() - started });
  },
};`;

const WARNINGS = /different request context|Cannot perform I\/O on behalf of a different request|waitUntil\(\) tasks did not complete|stalled/i;
const reference = (sessionId: string, weights: number[]) => {
  const bucket = createHash("md5").update(sessionId).digest().readUInt32BE(0) % 1_000_000;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (bucket < (sum += weights[i]! * 10000)) return i;
  return weights.length - 1;
};
const USER_1 = ["claude-opus", "gpt-4o"][reference("user-1", [50, 50])];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** the worker's onError reports, once they match (background work finishes after the response; loaded machines are slow) */
async function errorsMatching(w: Worker, pattern: RegExp): Promise<string> {
  let text = "";
  for (let i = 0; i < 100 && !pattern.test(text); i++) (text = (await w.errors()).errors.join("\n")), await sleep(50);
  return text;
}

let script: string;
let origin: FakeOrigin;
let tmp: ReturnType<typeof tempDir>;
let cases = 0;
const workers: Worker[] = [];

interface Worker {
  mf: Miniflare;
  output: () => string;
  json(path: string): Promise<any>;
  errors(): Promise<{ errors: string[]; kvCalls: { get: number; put: number } }>;
}

/** A fresh isolate; `persist` names the KV directory (the same name = the same KV data after a restart). */
async function start(o: { persist?: string; ttl?: number; timeout?: number; failPut?: boolean } = {}): Promise<Worker> {
  let output = "";
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    kvNamespaces: ["KV"],
    kvPersist: `${tmpDir()}/${o.persist ?? "case-" + ++cases}`,
    bindings: { ORIGIN: origin.url, TTL: String(o.ttl ?? 30000), TIMEOUT: String(o.timeout ?? 2000), ...(o.failPut ? { FAIL_PUT: "1" } : {}) },
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (output += d));
      stderr.on("data", (d) => (output += d));
    },
  });
  await mf.ready;
  const json = async (path: string) => (await mf.dispatchFetch("http://worker.test" + path)).json();
  const w: Worker = { mf, output: () => output, json, errors: () => json("/errors") };
  workers.push(w);
  return w;
}
let tmpDir: () => string;

beforeAll(async () => {
  origin = await startFakeOrigin();
  script = await bundle({ contents: WORKER }, "esm");
  tmp = tempDir("fallom-kv-");
  const probe = tmp.write("probe", "");
  tmpDir = () => probe.slice(0, probe.lastIndexOf("/"));
});

beforeEach(() => {
  origin.data = docsData();
  origin.requests.length = 0;
  origin.etags = false;
  for (const p of ["/configs", "/prompts", "/configs/linkedin-agent/version/1"]) origin.override(p, undefined);
});

afterEach(async () => {
  await sleep(100); // let workerd print anything pending
  const outputs = workers.map((w) => w.output()).join("\n");
  await Promise.all(workers.splice(0).map((w) => w.mf.dispose()));
  expect(outputs).not.toMatch(WARNINGS);
});

afterAll(async () => {
  await origin?.close();
  tmp?.remove();
});

describe("workerd + KV", () => {
  it("cold start → origin once; warm → memory (no KV read); after an isolate restart → KV (no origin request)", async () => {
    const first = await start({ persist: "restart" });
    expect((await first.json("/model")).model).toBe(USER_1);
    expect(origin.gets("/configs")).toBe(1);
    expect((await first.json("/model?session=user-1")).model).toBe(USER_1);
    expect(origin.gets("/configs")).toBe(1);
    expect((await first.errors()).kvCalls).toEqual({ get: 1, put: 1 }); // one miss, one write; the warm call read neither
    await first.mf.dispose();
    workers.splice(workers.indexOf(first), 1);

    const second = await start({ persist: "restart" });
    expect((await second.json("/model")).model).toBe(USER_1);
    expect((await second.json("/prompt")).system).toBe("You help Ada get started.");
    expect(origin.gets("/configs")).toBe(1); // served from KV
    const { errors, kvCalls } = await second.errors();
    expect(errors).toEqual([]);
    expect(kvCalls.get).toBe(2); // configs (hit) + prompts (miss)
  });

  it("stale-while-revalidate: after the TTL the old snapshot is served at once and ONE refresh runs; the new version follows", async () => {
    origin.etags = true;
    const w = await start({ ttl: 300 });
    expect((await w.json("/model")).model).toBe(USER_1);
    origin.data.configs = [{ key: "linkedin-agent", version: 3, variants: [{ model: "gpt-5", weight: 100 }] }];
    await sleep(400);
    origin.override("/configs", { delayMs: 1200 }); // the refresh cannot finish while the 20 stale requests run
    const stale = await Promise.all(Array.from({ length: 20 }, () => w.json("/model")));
    expect(stale.map((r) => r.model)).toEqual(Array(20).fill(USER_1));
    let fresh = "";
    for (let i = 0; i < 100 && fresh != "gpt-5"; i++) (fresh = (await w.json("/model")).model), await sleep(50);
    expect(fresh).toBe("gpt-5");
    expect(origin.gets("/configs")).toBe(2); // the cold fetch + exactly one background refresh
    const refresh = origin.requests.filter((r) => r.path == "/configs")[1]!;
    expect(refresh.headers["if-none-match"]).toMatch(/^"/); // ETag honoured
  });

  it("ETag: an unchanged snapshot is revalidated with 304 and keeps serving", async () => {
    origin.etags = true;
    const w = await start({ ttl: 200 });
    await w.json("/model");
    await sleep(300);
    await w.json("/model"); // stale → refresh → 304
    for (let i = 0; i < 40 && origin.gets("/configs") < 2; i++) await sleep(25);
    await sleep(100);
    await sleep(250); // past the TTL again: a 304 renewed the snapshot, so this is fresh-or-stale, never a miss
    expect((await w.json("/model")).model).toBe(USER_1);
    expect((await w.errors()).errors).toEqual([]);
  });

  it("origin down: stale served, unknown keys get the fallback; a cold isolate falls back within the timeout", async () => {
    const w = await start({ ttl: 200, timeout: 300 });
    expect((await w.json("/model")).model).toBe(USER_1);
    origin.override("/configs", { status: 503 });
    await sleep(300);
    expect((await w.json("/model")).model).toBe(USER_1);
    expect((await w.json("/model?key=unknown&fallback=fb")).model).toBe("fb");
    expect(await errorsMatching(w, /HTTP 503/)).toMatch(/HTTP 503/);

    origin.override("/configs", { hang: true });
    const cold = await start({ timeout: 300 });
    const r = await cold.json("/model?fallback=fb");
    expect(r.model).toBe("fb");
    expect(r.ms).toBeLessThan(1500); // bounded by configTimeoutMs (300 ms) plus generous slack
    expect((await cold.json("/model")).error).toMatch(/configs are unavailable/);
  });

  it("404 evicts: a pinned version the origin no longer has, and a config gone from the snapshot, stop being served", async () => {
    const w = await start({ ttl: 200, persist: "evict" });
    expect((await w.json("/model?version=1")).model).toBe("gpt-4o-mini");
    delete origin.data.versions["linkedin-agent/version/1"];
    origin.data.configs = origin.data.configs.filter((c: any) => c.key != "linkedin-agent");
    await sleep(300);
    await w.json("/model?version=1&fallback=fb"); // stale, starts the refresh that gets the 404
    await w.json("/model?fallback=fb");
    let pinned = "";
    for (let i = 0; i < 40 && pinned != "fb"; i++) pinned = (await w.json("/model?version=1&fallback=fb")).model, await sleep(25);
    expect(pinned).toBe("fb");
    let latest = "";
    for (let i = 0; i < 40 && latest != "fb"; i++) latest = (await w.json("/model?fallback=fb")).model, await sleep(25);
    expect(latest).toBe("fb");
    const kv = await w.mf.getKVNamespace("KV");
    const keys = (await kv.list()).keys.map((k: { name: string }) => k.name);
    expect(keys.some((k: string) => k.endsWith("/version/1"))).toBe(false); // evicted from KV too
  });

  it("malformed JSON or an unexpected shape is ignored with an onError report; the last good snapshot keeps serving", async () => {
    const w = await start({ ttl: 200 });
    expect((await w.json("/model")).model).toBe(USER_1);
    origin.override("/configs", { status: 200, body: "{not json" });
    await sleep(300);
    expect((await w.json("/model")).model).toBe(USER_1);
    await sleep(1100); // past the failure backoff
    origin.override("/configs", { status: 200, body: JSON.stringify({ configs: [{ key: 1 }] }) });
    expect((await w.json("/model")).model).toBe(USER_1);
    const errors = await errorsMatching(w, /unexpected response/);
    expect(errors).toMatch(/malformed JSON/);
    expect(errors).toMatch(/unexpected response/);
  });

  it("KV write failures never fail the request (reported to onError)", async () => {
    const w = await start({ failPut: true });
    expect((await w.json("/model")).model).toBe(USER_1);
    expect(await errorsMatching(w, /cache write failed/)).toMatch(/cache write failed: KV put limit exceeded/);
  });

  it("1000 concurrent lookups on a cold isolate → 1 origin request and 1 KV read; 30 concurrent cold requests → 1 origin request", async () => {
    origin.override("/configs", { delayMs: 200 });
    const w = await start();
    expect(await w.json("/many?n=1000")).toEqual({ n: 1000, distinct: [["claude-opus", "gpt-4o"][reference("same-session", [50, 50])]] });
    expect(origin.gets("/configs")).toBe(1);
    expect((await w.errors()).kvCalls.get).toBe(1);

    const again = await start();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => again.json("/model?session=user-1")));
    expect(answers.map((a) => a.model)).toEqual(Array(30).fill(USER_1));
    expect(origin.gets("/configs")).toBe(2);
  });

  it("overlapping requests: the first ends before its lookup does; the next one is served on its own (no cross-request wait)", async () => {
    origin.override("/configs", { delayMs: 600 });
    const w = await start({ timeout: 800 });
    const early = w.json("/early");
    await sleep(50);
    const late = w.json("/model");
    expect(await early).toEqual({ early: true });
    const r = await late;
    expect(r.model).toBe(USER_1);
    expect(r.error).toBeUndefined();
  });
});
