import { afterEach, beforeEach, expect, it } from "vitest";
import { setupSdk, type TestSdk } from "../../support/sdk";
import { traceModel, fallomMiddleware } from "../../../src/integrations/ai-sdk/index";
import { FLAVORS, mockModel, HELLO } from "./middleware-fixtures";

let sdk: TestSdk;
beforeEach(async () => { sdk = await setupSdk({ flushTimeoutMs: 500 }); });
afterEach(() => sdk.close());

for (const f of FLAVORS) {
  it("explore " + f.name, async () => {
    const model = traceModel(mockModel(f, { chunkDelayInMs: 5 }));
    const r = await f.ai.generateText({ model, prompt: "hi", system: "be brief", temperature: 0.3, maxOutputTokens: 100 });
    const s = f.ai.streamText({ model, prompt: "hi" });
    const parts = [];
    for await (const p of s.fullStream) parts.push(p.type);
    const never = f.ai.streamText({ model, prompt: "never" });
    const w = f.ai.wrapLanguageModel({ model: mockModel(f), middleware: fallomMiddleware() });
    await f.ai.generateText({ model: w, prompt: "wrapped" });
    const t0 = Date.now();
    const spans = await sdk.flushSpans();
    console.log(f.name, Date.now() - t0, r.text, parts.join(","));
    for (const sp of spans) console.log(sp.name, sp.status, JSON.stringify(sp.attributes));
  });
}
