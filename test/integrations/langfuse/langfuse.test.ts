// What Langfuse shows from our spans, read the way its documented OTLP mapping reads them (observation type mappers
// in priority order, then the attribute → field table): with the default export and with `profile: langfuse`.
import * as ai from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { langfuse } from "../../../src/integrations/langfuse/index";
import type { DecodedSpan } from "../../support/collector";
import { setupSdk, type TestSdk } from "../../support/sdk";

(globalThis as any).AI_SDK_LOG_WARNINGS = false;

/** One Langfuse observation as its OTLP ingestion derives it from a span (the documented subset we rely on). */
function observation(s: DecodedSpan) {
  const a = s.attributes as Record<string, any>;
  const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
  // type mappers, highest priority first: langfuse.observation.type, gen_ai.operation.name, gen_ai.tool.*, a model
  const byOperation: Record<string, string> = { chat: "GENERATION", text_completion: "GENERATION", generate_content: "GENERATION", embeddings: "EMBEDDING", invoke_agent: "AGENT", create_agent: "AGENT", execute_tool: "TOOL" };
  const type =
    (a["langfuse.observation.type"] as string | undefined)?.toUpperCase() ??
    byOperation[a["gen_ai.operation.name"]] ??
    (a["gen_ai.tool.name"] || a["gen_ai.tool.call.id"] ? "TOOL" : a["gen_ai.request.model"] || a["gen_ai.response.model"] ? "GENERATION" : "SPAN");
  return {
    name: s.name,
    type,
    input: a["langfuse.observation.input"] ?? a["gen_ai.prompt"] ?? a["input.value"],
    output: a["langfuse.observation.output"] ?? a["gen_ai.completion"] ?? a["output.value"],
    model: a["gen_ai.response.model"] ?? a["gen_ai.request.model"],
    usage: { input: a["gen_ai.usage.input_tokens"], output: a["gen_ai.usage.output_tokens"] },
    // gen_ai.usage.cost → costDetails.total; langfuse.observation.cost_details → costDetails
    cost: a["gen_ai.usage.cost"] ?? json(a["langfuse.observation.cost_details"])?.total,
    completionStartTime: a["langfuse.observation.completion_start_time"],
    tags: a["langfuse.trace.tags"],
    sessionId: a["langfuse.session.id"] ?? a["session.id"],
    userId: a["langfuse.user.id"] ?? a["user.id"],
    promptName: a["langfuse.observation.prompt.name"],
    promptVersion: a["langfuse.observation.prompt.version"],
  };
}

const usage = { inputTokens: { total: 1000, noCache: 1000 }, outputTokens: { total: 500, text: 500 } };
const fr = (u: string) => ({ unified: u, raw: u });

// one of everything: a streamed agent run with a priced model and a tool, a retrieval span, an evaluation
async function run(): Promise<ReturnType<typeof observation>[]> {
  const session = fallom.session({ sessionId: "s-1", customerId: "u-1", tags: ["beta"] });
  session.setAttributes({ "gen_ai.prompt.name": "greeting", "fallom.prompt.version": 3 });
  let step = 0;
  const model = new MockLanguageModelV4({
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doStream: async () => ({
      stream: ai.simulateReadableStream({
        initialDelayInMs: 5,
        chunkDelayInMs: 5,
        chunks:
          step++ === 0
            ? [
                { type: "stream-start", warnings: [] },
                { type: "tool-call", toolCallId: "c1", toolName: "lookup", input: '{"q":"paris"}' },
                { type: "finish", finishReason: fr("tool-calls"), usage },
              ]
            : [
                { type: "stream-start", warnings: [] },
                { type: "text-start", id: "t" },
                { type: "text-delta", id: "t", delta: "Paris" },
                { type: "text-end", id: "t" },
                { type: "finish", finishReason: fr("stop"), usage },
              ],
      }) as any,
    }),
  });
  const tools = { lookup: ai.tool({ description: "looks things up", inputSchema: z.object({ q: z.string() }), execute: async () => "found" }) };
  const result = session.wrapAISDK(ai).streamText({ model, tools, prompt: "capital of France?", stopWhen: ai.stepCountIs(2) } as any);
  await result.text;
  const root = session.startSpan("answer", { type: "agent", input: { question: "capital?" } });
  session.startSpan("search docs", { type: "retrieval", parent: root, input: "capital of France" }).setOutput(["doc-1"]).end();
  root.evaluate({ name: "correct", score: 1, label: "yes" });
  root.setOutput("Paris").end();
  await fallom.flush();
  return sdk!.collector.spans().map(observation);
}

let sdk: TestSdk | undefined;
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
});

describe("Langfuse reads", () => {
  it("by default: session, user, model, usage and the types gen_ai.operation.name gives (no cost, TTFT, tags, input/output or prompt)", async () => {
    sdk = await setupSdk();
    const obs = await run();
    const byName = (n: string) => obs.find((o) => o.name === n)!;
    expect(obs.filter((o) => o.name === "chat gpt-4o-mini").map((o) => o.type)).toEqual(["GENERATION", "GENERATION"]);
    expect(byName("invoke_agent streamText").type).toBe("AGENT");
    expect(byName("execute_tool lookup").type).toBe("TOOL");
    expect(byName("answer").type).toBe("AGENT");
    expect(byName("search docs").type).toBe("SPAN");
    expect(byName("evaluation correct").type).toBe("SPAN");
    for (const o of obs) expect([o.sessionId, o.userId]).toEqual(["s-1", "u-1"]);
    const gen = byName("chat gpt-4o-mini");
    expect(gen.model).toBe("gpt-4o-mini");
    expect(gen.usage).toEqual({ input: 1000, output: 500 });
    expect([gen.cost, gen.completionStartTime, gen.tags, gen.promptName, byName("answer").input]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("with profile: langfuse — cost, time to first token, tags, input/output, every observation type, prompt linkage, evaluations", async () => {
    sdk = await setupSdk({ profile: langfuse });
    const obs = await run();
    const byName = (n: string) => obs.find((o) => o.name === n)!;
    expect(byName("search docs").type).toBe("RETRIEVER");
    expect(byName("evaluation correct").type).toBe("EVALUATOR");
    expect(byName("answer").type).toBe("AGENT");
    expect(byName("invoke_agent streamText").type).toBe("AGENT");
    expect(byName("execute_tool lookup").type).toBe("TOOL");
    for (const gen of obs.filter((o) => o.name === "chat gpt-4o-mini")) {
      expect(gen.type).toBe("GENERATION");
      // gpt-4o-mini list price: $0.15 / $0.60 per million tokens
      expect(gen.cost).toBeCloseTo(1000 * 0.15e-6 + 500 * 0.6e-6, 12);
      expect(Date.parse(gen.completionStartTime)).toBeGreaterThan(0);
      expect(gen.promptName).toBe("greeting");
      expect(gen.promptVersion).toBe(3);
    }
    for (const o of obs) expect(o.tags).toEqual(["beta"]);
    expect(byName("answer").input).toBe(JSON.stringify({ question: "capital?" }));
    expect(byName("answer").output).toBe("Paris");
    expect(byName("search docs").output).toEqual(["doc-1"]);
    expect(byName("invoke_agent streamText").output).toBe("Paris");
    expect(JSON.parse(byName("evaluation correct").output)).toEqual({ score: 1, label: "yes" });
    // completion start lies within the generation span
    const span = sdk.collector.spans().find((s) => s.name === "chat gpt-4o-mini")!;
    const start = Date.parse(span.attributes["langfuse.observation.completion_start_time"] as string);
    expect(start).toBeGreaterThanOrEqual(Math.floor(Number(BigInt(span.startTimeUnixNano) / 1000000n)));
    expect(start).toBeLessThanOrEqual(Math.ceil(Number(BigInt(span.endTimeUnixNano) / 1000000n)));
  });

  it("the profile moves (not copies) input, output and tags, so they are not sent twice", async () => {
    sdk = await setupSdk({ profile: langfuse });
    fallom.session({ tags: ["a"] }).startSpan("x", { input: "in" }).setOutput("out").end();
    const [span] = await sdk.flushSpans();
    expect(Object.keys(span!.attributes).filter((k) => /^fallom\.(input|output|tags)$/.test(k))).toEqual([]);
  });
});
