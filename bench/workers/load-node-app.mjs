// The Node side of the load benchmark (load.mjs starts it): `node load-node-app.mjs <collector> <requests> <in flight>`.
// Each request ends 4 spans in its own session and awaits fallom.flush() (a server without waitUntil).
import { distUrl } from "../lib/common.mjs";

const [collector, n, concurrency] = [process.argv[2], +process.argv[3], +process.argv[4]];
const fallom = (await import(distUrl("index.js"))).default;
await fallom.init({ apiKey: "bench", baseUrl: collector, flushIntervalMs: 0, retryBaseMs: 100, maxQueueSize: 100000 });

const flushMs = [];
let next = 0;
const firstRequest = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const session = fallom.session({ sessionId: "r" + next++ });
      await session.trace("request", async (root) => {
        await root.span("retrieve", () => new Promise((r) => setImmediate(r)));
        root.startSpan("llm", { type: "llm" }).end();
        root.startSpan("tool", { type: "tool" }).end();
      });
      const started = performance.now();
      await fallom.flush();
      flushMs.push(performance.now() - started);
    }
  }),
);
const lastResponse = Date.now();
console.log(JSON.stringify({ firstRequest, lastResponse, flushMs }));
