// Reliability case C6 (prompt/config cache under load), in workerd with a real KV namespace:
// 1000 concurrent prompt lookups on a cold isolate and a cold KV entry → exactly 1 upstream fetch; within the TTL
// the cached version is served; a new version is visible within TTL + 1 refresh; a removed prompt is evicted
// (an error, not served forever); KV write failures never fail the request; the served version is on the span.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { docsData, startFakeOrigin, type FakeOrigin } from "../support/fake-origin";
import { bundle, COMPATIBILITY_DATE } from "../runtimes/harness";

const WORKER = `
import fallom from "@fallom/trace";
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const kv = env.KV;
    await fallom.init({
      apiKey: "k", configsUrl: env.ORIGIN, promptsUrl: env.ORIGIN, tracesUrl: env.COLLECTOR, flushIntervalMs: 0, cacheTtlMs: 3000,
      // KV reads work, every KV write fails
      cache: { get: (k, t) => kv.get(k, t), put: () => Promise.reject(new Error("KV write failed")), delete: (k) => kv.delete(k) },
    });
    const n = Number(url.searchParams.get("n") ?? 1);
    const tag = url.searchParams.get("tag") ?? "t";
    try {
      const results = await Promise.all(Array.from({ length: n }, (_, i) => {
        const session = fallom.session({ sessionId: tag + "-" + i });
        return session.getPrompt("onboarding", { variables: { userName: "U" + i } }).then((p) => {
          session.startSpan("generation", { type: "llm" }).end();
          return p.version;
        });
      }));
      ctx.waitUntil(fallom.flush());
      return Response.json({ versions: [...new Set(results)] });
    } catch (e) {
      ctx.waitUntil(fallom.flush());
      return Response.json({ error: String(e.message) });
    }
  },
};`;

let origin: FakeOrigin;
let collector: Collector;
let mf: Miniflare;
let output = "";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  [origin, collector] = await Promise.all([startFakeOrigin(docsData()), startCollector()]);
  mf = new Miniflare({
    modules: [{ type: "ESModule", path: "w.mjs", contents: await bundle({ contents: WORKER }, "esm") }],
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ["KV"],
    bindings: { ORIGIN: origin.url, COLLECTOR: collector.url },
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (output += d));
      stderr.on("data", (d) => (output += d));
    },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await Promise.all([origin?.close(), collector?.close()]);
});

const served: Record<string, number> = {};
let calls = 0;
// one request; the version it was served is remembered under its tag (the spans of its sessions must carry it)
const get = async (q: string) => {
  const tag = `${new URLSearchParams(q).get("tag")}${++calls}`;
  const r: any = await (await mf.dispatchFetch("http://worker.test/?" + q.replace(/tag=[^&]*/, "tag=" + tag))).json();
  if (r.versions) served[tag] = r.versions[0];
  return r;
};

it("C6: single-flight under load, SWR, new version within TTL + 1 refresh, eviction, KV write failures harmless, version on spans", async () => {
  origin.override("/prompts", { delayMs: 150 });
  expect(await get("n=1000&tag=load")).toEqual({ versions: [3] });
  expect(origin.gets("/prompts")).toBe(1); // exactly one upstream fetch for 1000 cold lookups

  // a new version published: within the TTL the cached one is served
  (origin.data.prompts[0] as any).version = 4;
  expect(await get("tag=ttl")).toEqual({ versions: [3] });
  // after the TTL: one stale answer while the refresh runs, then the new version
  await sleep(3100);
  expect(await get("tag=stale")).toEqual({ versions: [3] });
  let versions: number[] = [];
  for (let i = 0; i < 40 && versions[0] !== 4; i++) ({ versions } = await get("tag=new")), await sleep(25);
  expect(versions).toEqual([4]);
  expect(origin.gets("/prompts")).toBe(2); // TTL + exactly 1 refresh

  // removed upstream: evicted, not served forever
  origin.data.prompts = origin.data.prompts.filter((p: any) => p.key != "onboarding");
  await sleep(3100);
  await get("tag=gonestale");
  let error = "";
  for (let i = 0; i < 40 && !error; i++) ({ error = "" } = await get("tag=gone")), await sleep(25);
  expect(error).toContain("Prompt 'onboarding' not found");

  // every span carries the version it was served with
  await sleep(200);
  const spans = collector.allSpans().filter((s) => s.name == "generation");
  expect(spans.length).toBeGreaterThanOrEqual(1003);
  for (const s of spans) {
    const tag = String(s.attributes["session.id"]).split("-")[0]!;
    expect(s.attributes["gen_ai.prompt.name"]).toBe("onboarding");
    expect(s.attributes["fallom.prompt.version"]).toBe(served[tag]);
  }
  expect(output).not.toMatch(/different request context|Cannot perform I\/O/i);
});
