// Tracing does not tax work it does not trace (issue 7): after traced calls and an export, an untraced generateText /
// streamText runs exactly the work it ran before the SDK existed — counted as promises created per call (a global
// patch, an ai telemetry subscriber or a diagnostics-channel subscriber would all add some). Time is `npm run bench`'s job.
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { promiseHooks } from "node:v8";
import { afterAll, expect, it } from "vitest";
import fallom from "../../../src/index";
import { setupSdk, type TestSdk } from "../../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 2, text: 2 } };
const finishReason = { unified: "stop", raw: "stop" } as const;
const chunks = [
  { type: "stream-start", warnings: [] },
  { type: "text-start", id: "t" },
  ...Array.from({ length: 10 }, (_, i) => ({ type: "text-delta", id: "t", delta: "w" + i })),
  { type: "text-end", id: "t" },
  { type: "finish", usage, finishReason },
];
const model = () =>
  new MockLanguageModelV4({
    doGenerate: async () => ({ content: [{ type: "text", text: "ok" }], finishReason, usage, warnings: [] }),
    doStream: async () => ({ stream: ai.simulateReadableStream({ chunks: chunks as any, initialDelayInMs: null, chunkDelayInMs: null }) }),
  });

const generate = (m: any) => ai.generateText({ model: m, prompt: "hi" });
const stream = async (m: any) => {
  for await (const _ of ai.streamText({ model: m, prompt: "hi" }).textStream);
};

/** promises created by `n` sequential calls, after two warm-up calls */
async function promisesPer(call: () => Promise<unknown>, n = 5): Promise<number> {
  await call();
  await call();
  let count = 0;
  const stop = promiseHooks.onInit(() => count++);
  try {
    for (let i = 0; i < n; i++) await call();
  } finally {
    stop();
  }
  return count / n;
}

let sdk: TestSdk | undefined;
afterAll(() => sdk?.close());

it("untraced generateText and streamText do the same work in a process that traces", async () => {
  const bare = model();
  const before = { generate: await promisesPer(() => generate(bare)), stream: await promisesPer(() => stream(bare)) };

  sdk = await setupSdk();
  const session = fallom.session({ sessionId: "untaxed" });
  const traced = session.traceModel(model());
  const wrapped = session.wrapAISDK(ai);
  for (let i = 0; i < 3; i++) {
    await generate(traced);
    await stream(traced);
    await wrapped.generateText({ model: model(), prompt: "hi" });
  }
  expect(await sdk.flushSpans()).toHaveLength(12);

  const after = { generate: await promisesPer(() => generate(bare)), stream: await promisesPer(() => stream(bare)) };
  expect(after).toEqual(before);
  expect(before.stream).toBeGreaterThan(before.generate); // the counter sees the work
});
