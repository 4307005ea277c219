// fallomMastraExporter as an exporter of a real Mastra instance (@mastra/observability): the instance's own spans —
// agent run, model inferences, tool call — arrive through this SDK with Mastra's ids, parents and usage.
import { createOpenAI } from "@ai-sdk/openai";
import { Mastra } from "@mastra/core";
import { Agent } from "@mastra/core/agent";
import { createTool } from "@mastra/core/tools";
import { Observability } from "@mastra/observability";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { fallomMastraExporter } from "../../../src/integrations/mastra/index";
import { TOOL } from "../../support/fake-provider";
import { providerEnv } from "../../support/provider-env";

const env = providerEnv();

describe("fallomMastraExporter", () => {
  it("a Mastra instance's agent run, model inferences and tool call become spans with Mastra's ids, usage and cost", async () => {
    env.fake.options.toolCalls = true;
    const weather = createTool({ id: TOOL.name, description: "Weather", inputSchema: z.object({ city: z.string() }), execute: async () => ({ celsius: 21 }) });
    const agent = new Agent({
      id: "support",
      name: "SupportAgent",
      instructions: "Help.",
      model: createOpenAI({ baseURL: env.fake.url + "/v1", apiKey: "x" }).chat("gpt-4o-mini"),
      tools: { [TOOL.name]: weather },
    });
    const session = fallom.session({ sessionId: "s-1" });
    const exporter = fallomMastraExporter({ session });
    const mastra = new Mastra({
      agents: { agent },
      observability: new Observability({ configs: { fallom: { serviceName: "app", exporters: [exporter as any] } } }),
      logger: false as any,
    });
    await mastra.getAgent("agent").generate([{ role: "user", content: "Weather in Paris?" }]);
    await new Promise((r) => setTimeout(r, 100)); // Mastra hands span_ended events to exporters asynchronously
    await exporter.flush();
    const spans = env.sdk.collector.allSpans();
    const root = spans.find((s) => s.name.startsWith("invoke_agent"))!;
    expect(root.attributes).toMatchObject({ "fallom.span.type": "agent", "session.id": "s-1" });
    expect(root.parentSpanId).toBeUndefined();
    const llm = spans.filter((s) => s.attributes["fallom.span.type"] === "llm");
    expect(llm).toHaveLength(2);
    for (const s of llm) {
      expect(s.traceId).toBe(root.traceId);
      expect(s.attributes).toMatchObject({ "gen_ai.request.model": "gpt-4o-mini", "gen_ai.provider.name": "openai", "gen_ai.usage.input_tokens": 2006, "gen_ai.usage.cache_read.input_tokens": 1920 });
      expect(s.attributes["fallom.cost.total_usd"]).toBeGreaterThan(0);
    }
    const [tool] = spans.filter((s) => s.attributes["fallom.span.type"] === "tool");
    expect(tool!.attributes).toMatchObject({ "gen_ai.tool.name": TOOL.name, "gen_ai.tool.call.id": TOOL.id });
    // every parent link points at a span that was exported: the tree is whole
    const ids = new Set(spans.map((s) => s.spanId));
    for (const s of spans) if (s.parentSpanId) expect(ids.has(s.parentSpanId)).toBe(true);
  });
});
