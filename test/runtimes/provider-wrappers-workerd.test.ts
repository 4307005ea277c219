// wrapOpenAI and wrapAnthropic inside workerd without nodejs_compat (Miniflare; the real SDKs bundled as a Worker
// bundles them), against the local fake provider: plain, streamed, a stream returned as the Response with
// ctx.waitUntil(fallom.flush()), break, 429. A fresh isolate per case, so no later request can hide a loss; workerd's
// cross-request warnings are read and must be absent.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { startFakeProvider, TEXT, type FakeProvider } from "../support/fake-provider";
import { bundle, COMPATIBILITY_DATE } from "./harness";

const WORKER = `
import fallom from "@fallom/trace";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

const ask = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };
const claude = { model: "claude-sonnet-4-20250514", max_tokens: 256, messages: [{ role: "user", content: "Hi" }] };

export default {
  async fetch(request, env, ctx) {
    await fallom.init({ apiKey: "k", baseUrl: env.COLLECTOR, retryBaseMs: 5 });
    const session = fallom.session({ sessionId: new URL(request.url).searchParams.get("id") ?? "s" });
    const openai = session.wrapOpenAI(new OpenAI({ baseURL: env.PROVIDER + "/v1", apiKey: "x", maxRetries: 0 }), { includeStreamUsage: true });
    const anthropic = session.wrapAnthropic(new Anthropic({ baseURL: env.PROVIDER, apiKey: "x", maxRetries: 0 }));
    const path = new URL(request.url).pathname;
    try {
      if (path === "/openai-plain") {
        const r = await openai.chat.completions.create(ask);
        ctx.waitUntil(fallom.flush());
        return new Response(r.choices[0].message.content);
      }
      if (path === "/openai-stream") {
        const stream = await openai.chat.completions.create({ ...ask, stream: true });
        ctx.waitUntil(fallom.flush());
        return new Response(stream.toReadableStream());
      }
      if (path === "/openai-break") {
        const stream = await openai.chat.completions.create({ ...ask, stream: true });
        let text = "";
        for await (const c of stream) { text += c.choices[0]?.delta?.content ?? ""; if (text) break; }
        ctx.waitUntil(fallom.flush());
        return new Response(text);
      }
      if (path === "/anthropic-plain") {
        const m = await anthropic.messages.create(claude);
        ctx.waitUntil(fallom.flush());
        return new Response(m.content[0].text);
      }
      if (path === "/anthropic-stream") {
        const stream = await anthropic.messages.create({ ...claude, stream: true });
        ctx.waitUntil(fallom.flush());
        return new Response(stream.toReadableStream());
      }
      if (path === "/anthropic-helper") {
        const final = await anthropic.messages.stream(claude).finalMessage();
        ctx.waitUntil(fallom.flush());
        return new Response(final.content[0].text);
      }
    } catch (e) {
      ctx.waitUntil(fallom.flush());
      return new Response(e.constructor.name + " " + e.status, { status: 502 });
    }
    return new Response("not found", { status: 404 });
  },
};`;

let script: string;
let collector: Collector;
let fake: FakeProvider;
let output = "";

beforeAll(async () => {
  // as wrangler bundles a Worker: esbuild's browser platform (package.json `browser` maps apply), workerd conditions
  script = await bundle({ contents: WORKER }, "esm", { platform: "browser" });
  collector = await startCollector();
  fake = await startFakeProvider();
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await collector?.close();
});
beforeEach(() => {
  collector.reset();
  fake.options = {};
  output = "";
});

/** One request in a fresh workerd (no flags), the response body read to the end; the isolate disposed after its waitUntil settled */
async function once(path: string): Promise<{ status: number; body: string }> {
  const before = collector.allSpans().length;
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    bindings: { COLLECTOR: collector.url, PROVIDER: fake.url },
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (output += d));
      stderr.on("data", (d) => (output += d));
    },
  });
  try {
    const res = await mf.dispatchFetch("http://worker.test" + path);
    return { status: res.status, body: await res.text() };
  } finally {
    // the flush handed to waitUntil must deliver on its own: wait for it, then drop the isolate
    await collector.waitForSpans(before + 1, 10_000).catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    await mf.dispose();
  }
}

const WARNINGS = /different request context|waitUntil\(\) tasks did not complete|stalled|Cannot perform I\/O|nodejs_compat/i;

describe("workerd, no compatibility flags", () => {
  it("the bundle imports nothing from node:", () => {
    expect(script).not.toMatch(/from\s*["']node:/);
  });

  it("OpenAI plain: one span with usage", async () => {
    expect(await once("/openai-plain?id=p")).toEqual({ status: 200, body: TEXT.join("") });
    const [span] = collector.allSpans();
    expect(span!.attributes).toMatchObject({ "session.id": "p", "gen_ai.usage.input_tokens": 2006, "gen_ai.response.id": "chatcmpl-fake1" });
    expect(output).not.toMatch(WARNINGS);
  });

  it("OpenAI stream returned as the Response with waitUntil(fallom.flush()): delivered whole, span exported with usage and TTFT", async () => {
    const { status, body } = await once("/openai-stream");
    expect(status).toBe(200);
    expect(body.split("\n").filter(Boolean).map((l) => JSON.parse(l).choices[0]?.delta?.content ?? "").join("")).toBe(TEXT.join(""));
    const spans = collector.allSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.usage.output_tokens": 300 });
    expect(spans[0]!.attributes).toHaveProperty("gen_ai.response.time_to_first_chunk");
    expect(output).not.toMatch(WARNINGS);
  });

  it("OpenAI break: the span ends once, cancelled", async () => {
    fake.options.eventDelayMs = 10;
    expect((await once("/openai-break")).body).toBe(TEXT[0]);
    const spans = collector.allSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes["fallom.stream.cancelled"]).toBe(true);
    expect(output).not.toMatch(WARNINGS);
  });

  it("OpenAI 429: the SDK's error reaches the handler, the span records error.type", async () => {
    fake.options.failStatus = 429;
    expect(await once("/openai-plain")).toEqual({ status: 502, body: "RateLimitError 429" });
    expect(collector.allSpans()[0]!.attributes["error.type"]).toBe("429");
  });

  it("Anthropic plain, stream as the Response, and messages.stream().finalMessage(): one span each with cache usage", async () => {
    expect((await once("/anthropic-plain")).body).toBe(TEXT.join(""));
    const streamed = await once("/anthropic-stream");
    expect(streamed.body).toContain("message_stop");
    expect((await once("/anthropic-helper")).body).toBe(TEXT.join(""));
    const spans = collector.allSpans();
    expect(spans).toHaveLength(3);
    for (const s of spans) expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 2009, "gen_ai.usage.cache_read.input_tokens": 1800 });
    expect(output).not.toMatch(WARNINGS);
  });
});
