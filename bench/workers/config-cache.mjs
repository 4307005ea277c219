// Warm-cache cost of models.get / prompts.get (MD5 of a 36-char session id included) beside Langfuse's JS client
// warm-cache prompt.get in the same process, both served by one local fake server; the two MD5s (ours, @noble/hashes)
// per UUID and in min+gzip bytes; the config module's min+gzip bytes with our hand validator vs a zod/mini schema;
// and one KV read in Miniflare (workerd).  `node --expose-gc config-cache.mjs`
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { ROOT, distUrl, emit, summary } from "../lib/common.mjs";

const QUICK = process.env.BENCH_QUICK === "1";
const N = QUICK ? 20_000 : 100_000;
const RUNS = QUICK ? 3 : 7;
const SESSION_IDS = Array.from({ length: 1024 }, () => crypto.randomUUID()); // 36 characters each

const ONBOARDING = { system: "You help {{ userName }} get started at {{company}}.", user: "Hi, I am {{userName}}." };
const snapshot = {
  configs: [{ key: "linkedin-agent", version: 2, variants: [{ model: "claude-opus", weight: 50 }, { model: "gpt-4o", weight: 50 }] }],
  prompts: [{ key: "onboarding", version: 3, system_prompt: ONBOARDING.system, user_template: ONBOARDING.user }],
};
const langfusePrompt = {
  id: "p1", name: "onboarding", version: 3, type: "text", prompt: ONBOARDING.system, config: {}, labels: ["production"], tags: [], commitMessage: null,
};

const server = createServer((req, res) => {
  const path = req.url.split("?")[0];
  const body =
    path == "/configs" ? { configs: snapshot.configs }
    : path == "/prompts" ? { prompts: snapshot.prompts }
    : path.startsWith("/api/public/v2/prompts/") ? langfusePrompt
    : {};
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** µs per call of `fn(i)` (awaited), median of RUNS runs of N calls */
async function time(fn) {
  for (let i = 0; i < 5000; i++) await fn(i); // warm-up
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await fn(i);
    runs.push(((performance.now() - t0) * 1000) / N);
  }
  return summary(runs);
}

/** bytes allocated per call beyond what stays reachable: heap growth over calls with GC held off by a large young gen */
async function allocated(fn) {
  const M = 2000;
  for (let i = 0; i < M; i++) await fn(i);
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < M; i++) await fn(i);
  const after = process.memoryUsage().heapUsed;
  return Math.max(0, (after - before) / M);
}

// ---- ours ----
const mod = await import(distUrl("index.js"));
const fallom = mod.default;
await fallom.init({ apiKey: "bench-key", configsUrl: origin, promptsUrl: origin, tracesUrl: origin, flushIntervalMs: 0 });
const variables = { userName: "Ada", company: "Acme" };
await mod.models.get("linkedin-agent", SESSION_IDS[0]);
await mod.prompts.get("onboarding", { variables });
const modelsGet = (i) => mod.models.get("linkedin-agent", SESSION_IDS[i & 1023]);
const promptsGet = () => mod.prompts.get("onboarding", { variables });
// every session id's exposure was sent once in the warm-up; the timed loop repeats known assignments
for (const id of SESSION_IDS) await mod.models.get("linkedin-agent", id);
await fallom.flush();

// ---- Langfuse ----
const { LangfuseClient } = await import("@langfuse/client");
const langfuse = new LangfuseClient({ publicKey: "pk", secretKey: "sk", baseUrl: origin });
await langfuse.prompt.get("onboarding");
const langfuseGet = () => langfuse.prompt.get("onboarding");
const langfuseGetCompile = async () => (await langfuse.prompt.get("onboarding")).compile(variables);

const results = {
  modelsGet: await time(modelsGet),
  promptsGet: await time(promptsGet),
  langfuseGet: await time(langfuseGet),
  langfuseGetCompile: await time(langfuseGetCompile),
  allocated: { floor: await allocated(() => Promise.resolve("gpt-4o")), modelsGet: await allocated(modelsGet), promptsGet: await allocated(promptsGet), langfuseGet: await allocated(langfuseGet) },
};

// ---- MD5: in-house vs @noble/hashes/legacy ----
async function bundleSize(contents) {
  const out = await esbuild.build({ stdin: { contents, resolveDir: ROOT, loader: "ts", sourcefile: "entry.ts" }, bundle: true, minify: true, format: "esm", platform: "neutral", target: "es2022", write: false, logLevel: "silent", mainFields: ["module", "main"] });
  return gzipSync(out.outputFiles[0].contents, { level: 9 }).length;
}
const ours = await esbuild.build({ entryPoints: [`${ROOT}/src/config/md5.ts`], bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "silent" });
const { md5Uint32 } = await import("data:text/javascript;base64," + Buffer.from(ours.outputFiles[0].text).toString("base64"));
const { md5 } = await import("@noble/hashes/legacy.js");
const encoder = new TextEncoder();
const noble = (s) => {
  const d = md5(encoder.encode(s));
  return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
};
for (const id of SESSION_IDS) if (noble(id) !== md5Uint32(id)) throw new Error("md5 mismatch on " + id);
// synchronous functions are timed without an await per call
const sync = async (fn) => {
  for (let i = 0; i < 5000; i++) fn(SESSION_IDS[i & 1023]);
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) fn(SESSION_IDS[i & 1023]);
    runs.push(((performance.now() - t0) * 1000) / N);
  }
  return summary(runs);
};
results.md5 = {
  oursUs: await sync(md5Uint32),
  nobleUs: await sync(noble),
  oursGzip: await bundleSize(`export { md5Uint32 } from "./src/config/md5.ts";`),
  nobleGzip: await bundleSize(`import { md5 } from "@noble/hashes/legacy.js"; export const h = (s) => md5(new TextEncoder().encode(s));`),
};

// ---- validation: hand validator vs an equivalent zod/mini schema (min+gzip of the validating code) ----
results.validator = {
  handGzip: await bundleSize(`export { validators } from "./src/config/validate.ts";`),
  zodMiniGzip: await bundleSize(`import * as z from "zod/mini";
const variant = z.object({ model: z.string(), weight: z.number() });
const condition = z.object({ field: z.string(), operator: z.string(), value: z.union([z.string(), z.array(z.string())]) });
const targeting = z.nullish(z.object({ enabled: z.optional(z.boolean()), individualTargets: z.optional(z.array(z.object({ field: z.string(), value: z.string(), variantIndex: z.number() }))), rules: z.optional(z.array(z.object({ conditions: z.array(condition), variantIndex: z.number() }))) }));
const config = z.object({ key: z.string(), version: z.optional(z.number()), variants: z.union([z.array(variant), z.record(z.string(), variant)]), targeting });
export const configs = z.object({ configs: z.array(config) });
export const prompts = z.object({ prompts: z.array(z.object({ key: z.string(), version: z.number(), system_prompt: z.nullish(z.string()), user_template: z.nullish(z.string()) })) });
export const abTests = z.object({ prompt_ab_tests: z.array(z.object({ key: z.string(), version: z.number(), variants: z.array(z.object({ prompt_key: z.string(), prompt_version: z.nullish(z.number()), weight: z.number() })) })) });`),
};

// ---- the whole config/prompt module, min+gzip (what an app importing models/prompts pays on top of the core) ----
results.configModule = { gzip: await bundleSize(`export { models, prompts } from "./src/config/index.ts";`) - (await bundleSize(`export { getOptions, track } from "./src/core/index.ts";`)) };

// ---- one KV read in workerd (Miniflare): a whole configs snapshot ----
async function kvReads() {
const mf = new Miniflare({
  modules: true,
  kvNamespaces: ["KV"],
  compatibilityDate: "2026-07-01",
  script: `export default { async fetch(req, env) {
    const n = Number(new URL(req.url).searchParams.get("n"));
    await env.KV.put("snap", JSON.stringify({ at: Date.now(), body: ${JSON.stringify({ configs: Array(20).fill(snapshot.configs[0]) })} }));
    await env.KV.get("snap", "json");
    const t0 = Date.now();
    for (let i = 0; i < n; i++) await env.KV.get("snap", "json");
    return Response.json({ msPerRead: (Date.now() - t0) / n });
  } };`,
});
const reads = [];
for (let r = 0; r < 3; r++) reads.push((await (await mf.dispatchFetch("http://kv.test/?n=" + (QUICK ? 100 : 300))).json()).msPerRead);
await mf.dispose();
return summary(reads);
}
// workerd can fail to start on a very busy machine: retry once, and report instead of failing the other figures
for (let attempt = 0; attempt < 2 && !results.kvReadMs?.median; attempt++) {
  try {
    results.kvReadMs = await kvReads();
  } catch (error) {
    results.kvReadMs = { error: String(error?.message ?? error) };
  }
}

server.close();
emit(results);
process.exit(0);
