import { streamText, simulateReadableStream } from "ai";
import { MockLanguageModelV4 } from "ai/test";
const usage = { inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 10, text: 10, reasoning: undefined } };
function parts(p) { const c = [{ type: "stream-start", warnings: [] }, { type: "response-metadata", id: "r", modelId: "m", timestamp: new Date(0) }, { type: "text-start", id: "t" }];
 for (let i = 0; i < p - 5; i++) c.push({ type: "text-delta", id: "t", delta: "tok" + i + " " }); c.push({ type: "text-end", id: "t" }, { type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } }); return c; }
const P = Number(process.argv[2] ?? 50);
const chunks = parts(P);
const model = new MockLanguageModelV4({
  doStream: async () => ({ stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }) }),
});
let acc = 0;
for (let r = 0; r < 4; r++) {
  let t0 = process.hrtime.bigint(); const cpu0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) { const res = streamText({ model, prompt: "hi" }); for await (const t of res.textStream) acc += t.length; }
  const cpu = process.cpuUsage(cpu0);
  model.doStreamCalls.length = 0;
  console.log(P, "stream µs", (Number(process.hrtime.bigint() - t0) / 1e5).toFixed(1), "cpu µs", ((cpu.user + cpu.system) / 100).toFixed(1));
}
