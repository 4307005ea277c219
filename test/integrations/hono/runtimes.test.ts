// fallomHono() on the Workers, Bun, Deno and Node Hono adapters, each bundled from "@fallom/trace/hono" through
// the package's exports with that runtime's conditions: a streamed AI SDK answer to a request carrying a W3C
// traceparent delivers the SERVER span (a child of the remote parent), the handler span and the llm span (children
// of the SERVER span, no AsyncLocalStorage needed) to a local collector. Only the workerd build imports cloudflare:.
import { spawn, type ChildProcess } from "node:child_process";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector, type DecodedSpan } from "../../support/collector";
import { BUN, COMPATIBILITY_DATE, DENO, runEdgeRuntime, runWorkerd } from "../../runtimes/harness";
import { appBundler, CROSS_REQUEST, type AppBundler, type Target } from "./bundle-app";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const REMOTE_PARENT = "00f067aa0ba902b7";

const ENTRIES = {
  // `export default app`: Hono gets (request, env, ctx) and the middleware uses c.executionCtx.waitUntil
  workerd: `import { createApp } from "./app"; export default createApp((c) => c.env.COLLECTOR);`,
  // a fetch handler that drops ctx: only the waitUntil exported by cloudflare:workers can keep the flush alive
  "workerd-no-ctx": `import { createApp } from "./app"; const app = createApp((c) => c.env.COLLECTOR);
export default { fetch: (request, env) => app.fetch(request, env) };`,
  // Vercel's adapter style (hono/vercel: app.fetch(request)): the request context's waitUntil is the only one
  "edge-light": `import { createApp } from "./app"; const app = createApp((c) => c.req.header("x-collector"));
addEventListener("fetch", (event) => event.respondWith(app.fetch(event.request)));`,
  bun: `import { createApp } from "./app"; const app = createApp(() => process.env.COLLECTOR);
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
console.log("LISTENING " + server.port);`,
  deno: `import { createApp } from "./app"; const app = createApp(() => Deno.env.get("COLLECTOR"));
Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log("LISTENING " + port) }, app.fetch);`,
  node: `import { serve } from "@hono/node-server"; import { createApp } from "./app"; const app = createApp(() => process.env.COLLECTOR);
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log("LISTENING " + info.port));`,
};

let bundler: AppBundler;
let tmp: AppBundler["tmp"];
let collector: Collector;
const bundles: Record<string, string> = {};

beforeAll(async () => {
  bundler = appBundler();
  tmp = bundler.tmp;
  collector = await startCollector();
  for (const [name, contents] of Object.entries(ENTRIES))
    bundles[name] = await bundler.bundle(contents, name.startsWith("workerd") ? "workerd" : (name as Target), name == "edge-light" ? "iife" : "esm");
}, 60_000);

afterAll(async () => {
  await collector?.close();
  tmp?.remove();
});

/** One streamed request with a traceparent; the spans its own flush delivered, once they all arrived */
async function chat(base: string, sessionId: string, fetchFn: (url: string, init: RequestInit) => Promise<Response> = fetch, wordMs = 10) {
  const res = await fetchFn(base + "/chat/otters", {
    headers: { traceparent: `00-${TRACE}-${REMOTE_PARENT}-01`, "x-session-id": sessionId, "x-user-id": "u-1", "x-word-ms": String(wordMs) },
  });
  expect(res.status).toBe(200);
  // read chunk by chunk, as a browser shows a streamed answer
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
  expect(text).toBe("one two three four");
  const spans = await waitForSession(sessionId, 3);
  return spans;
}

async function waitForSession(sessionId: string, n: number, timeoutMs = 15_000): Promise<DecodedSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = collector.spans().filter((s) => s.attributes["session.id"] === sessionId);
    if (spans.length >= n || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectTree(spans: DecodedSpan[], sessionId: string) {
  expect(spans.map((s) => s.name).sort()).toEqual(["GET /chat/:topic", "build prompt", "chat mock-1"]);
  const server = spans.find((s) => s.kind === 2)!;
  expect([server.traceId, server.parentSpanId]).toEqual([TRACE, REMOTE_PARENT]);
  expect(server.attributes).toMatchObject({
    "http.request.method": "GET",
    "http.route": "/chat/:topic",
    "http.response.status_code": 200,
    "session.id": sessionId,
    "user.id": "u-1",
  });
  for (const child of spans.filter((s) => s !== server)) {
    expect([child.traceId, child.parentSpanId], child.name).toEqual([TRACE, server.spanId]);
    expect(child.attributes["session.id"]).toBe(sessionId);
  }
  const llm = spans.find((s) => s.name === "chat mock-1")!;
  expect(llm.attributes["gen_ai.usage.output_tokens"]).toBe(4);
  // the SERVER span covers the whole streamed body
  expect(BigInt(server.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(llm.endTimeUnixNano));
}


describe("bundles", () => {
  it("only the workerd build imports cloudflare:workers; node, bun, deno and edge-light builds never see cloudflare:", async () => {
    expect(bundles.workerd).toMatch(/from\s*["']cloudflare:workers["']/);
    for (const name of ["bun", "deno", "node", "edge-light"]) expect(bundles[name], name).not.toMatch(/cloudflare:/);
  });

  it("strict loaders: raw Miniflare { modules: true, script } loads the workerd build (cloudflare:workers is a built-in)", async () => {
    const mf = new Miniflare({ modules: true, script: bundles.workerd!, compatibilityDate: COMPATIBILITY_DATE, bindings: { COLLECTOR: collector.url }, cf: false });
    try {
      const res = await mf.dispatchFetch("http://worker.test/chat/raw", { headers: { "x-session-id": "raw-loader" } });
      expect(await res.text()).toBe("one two three four");
      expect(await waitForSession("raw-loader", 3)).toHaveLength(3);
    } finally {
      await mf.dispose();
    }
  });

  it("no bundle imports hono at runtime from the SDK (types only): the app's own hono is the only copy", () => {
    // one Hono class in the bundle: the SDK adds no second copy
    expect(bundles.workerd!.match(/class Hono\b|var Hono = class/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe.each([
  { flags: [] as string[], entry: "workerd" },
  { flags: ["nodejs_compat"], entry: "workerd" },
  { flags: [] as string[], entry: "workerd-no-ctx" },
])("workerd $flags ($entry), fresh isolate", ({ flags, entry }) => {
  it("a streamed answer's spans arrive from the request's own waitUntil, nested under the SERVER span; no cross-request warnings", async () => {
    const w = await runWorkerd(bundles[entry]!, { flags, bindings: { COLLECTOR: collector.url } });
    try {
      const sessionId = `workerd-${entry}-${flags.join("+") || "none"}`;
      const spans = await chat("http://worker.test", sessionId, w.fetch);
      expectTree(spans, sessionId);
      await new Promise((r) => setTimeout(r, 200)); // let workerd print anything pending
      expect(w.output()).not.toMatch(CROSS_REQUEST);
    } finally {
      await w.dispose();
    }
  });
});

describe("edge-runtime, Vercel-like host (request context at Symbol.for(\"@vercel/request-context\"))", () => {
  it("a streamed answer's spans arrive through the request context's waitUntil, nested under the SERVER span", async () => {
    const host = runEdgeRuntime(bundles["edge-light"]!, "vercel-like");
    const sessionId = "edge-vercel";
    let pending: Promise<unknown> | undefined;
    const spans = await chat("http://edge.test", sessionId, async (url, init) => {
      const res = await host.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), "x-collector": collector.url } });
      pending = res.waitUntil();
      return res;
    });
    expectTree(spans, sessionId);
    // every span was sent by flushes handed to this request's waitUntil (not by a background export)
    const results = ((await pending) as any[]).filter((r) => typeof r?.sent == "number");
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
  });
});

describe("workerd, one isolate", () => {
  it("overlapping slow and fast streamed requests each deliver their own spans, nested apart; no cross-request warnings", async () => {
    const w = await runWorkerd(bundles.workerd!, { bindings: { COLLECTOR: collector.url } });
    try {
      const dispatch = w.fetch;
      // slow ones stream for ~300 ms while fast ones start and finish around them
      const all = await Promise.all(
        Array.from({ length: 12 }, (_, i) => chat("http://worker.test", `overlap-${i}`, dispatch, i % 2 ? 75 : 1)),
      );
      all.forEach((spans, i) => expectTree(spans, `overlap-${i}`));
      await new Promise((r) => setTimeout(r, 200)); // let workerd print anything pending
      expect(w.output()).not.toMatch(CROSS_REQUEST);
    } finally {
      await w.dispose();
    }
  });
});

/** Starts a server child and resolves its port; killed by its own PID in the caller's finally */
function startServer(command: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(command, args, { cwd: tmp.dir, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start:\n" + output)), 20_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /LISTENING (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

describe.each([
  { runtime: "node", command: process.execPath, args: (f: string) => [f] },
  { runtime: "bun", command: BUN, args: (f: string) => ["run", "--no-install", f] },
  { runtime: "deno", command: DENO, args: (f: string) => ["run", "--no-prompt", "--no-config", "--allow-net=127.0.0.1", "--allow-env", "--allow-sys=hostname", f] }, // sys: ai's gateway client reads the hostname
])("$runtime server (Hono adapter)", ({ runtime, command, args }) => {
  it("a streamed answer's spans are flushed in the background after the body, nested under the SERVER span; a cancelled stream too", async () => {
    const file = tmp.write(`server-${runtime}.mjs`, bundles[runtime]!);
    const server = await startServer(command, args(file), {
      COLLECTOR: collector.url,
      DENO_NO_UPDATE_CHECK: "1",
      DENO_NO_PACKAGE_JSON: "1",
      BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
    });
    try {
      const sessionId = "server-" + runtime;
      const spans = await chat(`http://127.0.0.1:${server.port}`, sessionId);
      expectTree(spans, sessionId);
      // a client that goes away mid-stream: the SERVER span ends as cancelled and is still delivered
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${server.port}/chat/otters`, { headers: { "x-session-id": "cancel-" + runtime, "x-word-ms": "150" }, signal: abort.signal });
      await res.body!.getReader().read();
      abort.abort();
      const cancelled = (await waitForSession("cancel-" + runtime, 3)).find((s) => s.kind === 2);
      expect(cancelled?.attributes["fallom.stream.cancelled"]).toBe(true);
    } finally {
      server.child.kill("SIGKILL"); // this child's own PID only
    }
  });
});
