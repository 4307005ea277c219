// The request path stays flat in prompt size (issue 7): a traced call does not serialise the prompt while the app
// waits; the prompt is serialised at export. Counted, not timed: every message is a Proxy that counts reads of
// `toJSON`, which the SDK's serializer reads on every object it serialises and ai itself never reads.
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, beforeEach, expect, it } from "vitest";
import fallom from "../../../src/index";
import { fallomTelemetry } from "../../../src/integrations/ai-sdk/telemetry";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;

const usage = { inputTokens: { total: 3, noCache: 3 }, outputTokens: { total: 2, text: 2 } };
const model = () =>
  new MockLanguageModelV4({
    doGenerate: async () => ({ content: [{ type: "text", text: "ok" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] }),
  });

let reads = 0;
// a message whose serialisation is visible: JSON serialisers ask every object for toJSON
const probe = <T extends object>(message: T): T =>
  new Proxy(message, { get: (target, key, receiver) => (key === "toJSON" && reads++, Reflect.get(target, key, receiver)) });

/** a 40-message history, every message a probe */
function history(): any[] {
  const messages: any[] = [];
  for (let i = 0; i < 20; i++)
    messages.push(probe({ role: "user", content: `question ${i}: ` + "lorem ipsum ".repeat(20) }), probe({ role: "assistant", content: `answer ${i}` }));
  return messages;
}

let sdk: TestSdk;
beforeEach(async () => {
  sdk = await setupSdk();
  reads = 0;
});
afterEach(() => sdk.close());

const attr = (spans: DecodedSpan[], key: string) => spans.map((s) => s.attributes[key]).find((v) => v !== undefined) as string | undefined;

it("wrapAISDK: generateText reads no message for serialisation; fallom.input is serialised at export, as it was at the call", async () => {
  const messages = history();
  const session = fallom.session({ sessionId: "flat-1" });
  await session.wrapAISDK(ai).generateText({ model: model(), system: "be brief", messages });
  expect(reads).toBe(0);
  messages.push({ role: "user", content: "appended after the call" }); // an app's chat history grows; the span must not
  const spans = await sdk.flushSpans();
  expect(reads).toBeGreaterThanOrEqual(40);
  const input = JSON.parse(attr(spans, "fallom.input")!);
  expect(input.system).toBe("be brief");
  expect(input.messages).toHaveLength(40);
  expect(input.messages[39]).toEqual({ role: "assistant", content: "answer 19" });
});

it("traceModel: generateText reads no message for serialisation; the input messages are exported", async () => {
  const session = fallom.session({ sessionId: "flat-2" });
  await ai.generateText({ model: session.traceModel(model()), messages: history() });
  expect(reads).toBe(0);
  const spans = await sdk.flushSpans();
  expect(JSON.parse(attr(spans, "gen_ai.input.messages")!)).toHaveLength(40);
});

it("ai 7 telemetry integration: generateText reads no message for serialisation; input and output are exported", async () => {
  const session = fallom.session({ sessionId: "flat-3" });
  await ai.generateText({ model: model(), messages: history(), telemetry: { integrations: [fallomTelemetry({ session })] } });
  expect(reads).toBe(0);
  const spans = await sdk.flushSpans();
  expect(JSON.parse(attr(spans, "fallom.input")!).messages).toHaveLength(40);
  expect(JSON.parse(attr(spans, "gen_ai.input.messages")!)).toHaveLength(40);
  expect(JSON.parse(attr(spans, "gen_ai.output.messages")!)[0].parts).toEqual([{ type: "text", content: "ok" }]);
});

it("captureContent: false keeps no prompt at all, at the call or at export", async () => {
  await sdk.close();
  sdk = await setupSdk({ captureContent: false });
  const session = fallom.session({ sessionId: "flat-4" });
  await session.wrapAISDK(ai).generateText({ model: model(), messages: history() });
  const spans = await sdk.flushSpans();
  expect(reads).toBe(0);
  expect(spans).toHaveLength(2);
  for (const s of spans) expect(Object.keys(s.attributes).filter((k) => /^fallom\.input$|messages|instructions/.test(k))).toEqual([]);
});
