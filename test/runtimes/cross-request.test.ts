// F14: spans queued during one Workers request and exported during another never reuse the first request's I/O
// objects or promises: workerd prints no cross-request-context warning, and every span arrives exactly once.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { bundle, COMPATIBILITY_DATE } from "./harness";

const WORKER = `
import fallom from "@fallom/trace";
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    await fallom.init({ apiKey: "k", baseUrl: env.COLLECTOR, retryBaseMs: 5 });
    const n = Number(url.searchParams.get("n") ?? 0);
    const session = fallom.session({ sessionId: url.searchParams.get("id") ?? "x" });
    for (let i = 0; i < n; i++) await session.trace("work-" + i, async (s) => s.span("child", () => 1));
    if (url.pathname === "/flush") ctx.waitUntil(fallom.flush());
    // control: a promise made in one request and resolved in another, which workerd warns about
    if (url.pathname === "/control-make") globalThis.pending = new Promise((r) => (globalThis.settle = r));
    if (url.pathname === "/control-settle") globalThis.settle?.();
    return new Response("ok");
  },
};`;

let collector: Collector;
let mf: Miniflare;
let output = "";

beforeAll(async () => {
  collector = await startCollector();
  mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: await bundle({ contents: WORKER }, "esm") }],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    bindings: { COLLECTOR: collector.url },
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
  await collector?.close();
});

const get = async (path: string) => (await mf.dispatchFetch("http://worker.test" + path)).text();

it("spans queued in request A are exported by request B, with no cross-request warnings", async () => {
  expect(await get("/emit?n=3&id=a")).toBe("ok"); // A: queues 6 spans, no flush
  expect(await get("/flush?n=1&id=b")).toBe("ok"); // B: flushes A's spans and its own
  await collector.waitForSpans(8);
  // interleaved: 40 concurrent requests, half only emitting, half emitting and flushing
  await Promise.all(Array.from({ length: 40 }, (_, i) => get(`/${i % 2 ? "flush" : "emit"}?n=2&id=c${i}`)));
  await get("/flush?n=0");
  await collector.waitForSpans(8 + 40 * 4);
  expect(collector.allSpans()).toHaveLength(8 + 40 * 4); // exactly once: no duplicates
  await new Promise((r) => setTimeout(r, 200)); // let workerd print anything pending
  expect(output).not.toMatch(/different request context|waitUntil\(\) tasks did not complete|stalled|Cannot perform I\/O/i);
});

it("control: the same capture does see workerd's cross-request warning", async () => {
  await get("/control-make");
  await get("/control-settle");
  await new Promise((r) => setTimeout(r, 300));
  expect(output).toMatch(/different request context/i);
});
