// The README's "Cloudflare Workers (Hono)" quick start, run exactly as printed: the code block is read from
// README.md, bundled the way wrangler resolves packages, and served by workerd without any flag in a fresh
// isolate, talking to a local fake OpenAI server (the real @ai-sdk/openai over HTTP) and a local collector.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector } from "../../support/collector";
import { startFakeProvider, TEXT, type FakeProvider } from "../../support/fake-provider";
import { ROOT, runWorkerd } from "../../runtimes/harness";
import { appBundler, CROSS_REQUEST, type AppBundler } from "./bundle-app";

/** The first ```ts block after `heading` in README.md */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  return m![1]!;
}

let bundler: AppBundler;
let collector: Collector;
let provider: FakeProvider;
beforeAll(async () => {
  bundler = appBundler();
  collector = await startCollector();
  provider = await startFakeProvider({ eventDelayMs: 5 });
});
afterAll(async () => {
  await collector?.close();
  await provider?.close();
  bundler?.tmp.remove();
});

it("README Workers (Hono) recipe: a streamed answer's SERVER, retrieval and llm spans arrive from the request's own waitUntil", async () => {
  const script = await bundler.bundle(readmeBlock("### Cloudflare Workers (Hono)"), "workerd");
  const w = await runWorkerd(script, {
    bindings: { FALLOM_API_KEY: "k", FALLOM_BASE_URL: collector.url, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: provider.url + "/v1" },
  });
  try {
    const res = await w.fetch("/chat", {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-id": "readme", "x-user-id": "u-7" },
      body: JSON.stringify({ prompt: "hello?" }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(TEXT.join(""));
    const spans = await collector.waitForSpans(3, 15_000);
    expect(spans.map((s) => s.name).sort()).toEqual(["POST /chat", "chat gpt-4o-mini", "search"]);
    const server = spans.find((s) => s.kind === 2)!;
    expect(server.parentSpanId).toBeUndefined();
    expect(server.attributes).toMatchObject({ "http.route": "/chat", "http.response.status_code": 200, "session.id": "readme", "user.id": "u-7" });
    for (const child of spans.filter((s) => s !== server)) expect([child.traceId, child.parentSpanId], child.name).toEqual([server.traceId, server.spanId]);
    const llm = spans.find((s) => s.name === "chat gpt-4o-mini")!;
    expect(llm.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200)); // let workerd print anything pending
    expect(w.output()).not.toMatch(CROSS_REQUEST);
  } finally {
    await w.dispose();
  }
});
