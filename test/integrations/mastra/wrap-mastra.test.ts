// wrapMastraAgent with the real @mastra/core Agent, its model an @ai-sdk/openai chat model pointed at the local fake
// provider: one invoke_agent span per generate() / stream(), child llm spans per step and tool spans per tool call.
import { createOpenAI } from "@ai-sdk/openai";
import { Agent } from "@mastra/core/agent";
import { createTool } from "@mastra/core/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import fallom from "../../../src/index";
import { startFakeProvider, TEXT, TOOL } from "../../support/fake-provider";
import { providerEnv } from "../../support/provider-env";

const env = providerEnv();

const weather = createTool({
  id: TOOL.name,
  description: "Weather of a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async (input: any) => ({ city: input.city ?? input.context?.city, celsius: 21 }),
});
const agent = (tools = {}) =>
  new Agent({
    id: "support",
    name: "SupportAgent",
    instructions: "You are a helpful support agent.",
    model: createOpenAI({ baseURL: env.fake.url + "/v1", apiKey: "x" }).chat("gpt-4o-mini"),
    tools,
  });
const session = () => fallom.session({ configKey: "support", sessionId: "s-1", customerId: "u-1" });
const byName = (spans: any[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));

describe("wrapMastraAgent", () => {
  it("generate(): one invoke_agent span with the agent's name, a child llm span with usage; the agent's own result", async () => {
    const traced = session().wrapMastraAgent(agent());
    const result = await traced.generate([{ role: "user", content: "Hi" }]);
    expect(result.text).toBe(TEXT.join(""));
    const spans = await env.sdk.flushSpans();
    const [root] = byName(spans, "invoke_agent");
    expect(root!.attributes).toMatchObject({ "fallom.span.type": "agent", "gen_ai.agent.name": "SupportAgent", "session.id": "s-1", "fallom.total_usage.input_tokens": 2006 });
    const llm = byName(spans, "chat");
    expect(llm).toHaveLength(1);
    expect(llm[0]!.parentSpanId).toBe(root!.spanId);
    expect(llm[0]!.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 2006, "gen_ai.usage.cache_read.input_tokens": 1920, "gen_ai.provider.name": "openai" });
  });

  it("the session's prompt linkage (key, version, A/B variant) is on the agent span and its children", async () => {
    const s = session();
    s.setAttributes({ "gen_ai.prompt.name": "support-agent-instructions", "fallom.prompt.ab_test_key": "support-agent-test", "fallom.prompt.variant_index": 1 });
    await s.wrapMastraAgent(agent()).generate([{ role: "user", content: "Hi" }]);
    const spans = await env.sdk.flushSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span.attributes).toMatchObject({ "gen_ai.prompt.name": "support-agent-instructions", "fallom.prompt.variant_index": 1 });
  });

  it("tool calls: a tool span with name, arguments and result under the agent, one llm span per step", async () => {
    env.fake.options.toolCalls = true;
    const traced = session().wrapMastraAgent(agent({ [TOOL.name]: weather }));
    const result = await traced.generate([{ role: "user", content: "Weather in Paris?" }], { maxSteps: 3 } as any);
    expect(result.text).toBe(TEXT.join(""));
    const spans = await env.sdk.flushSpans();
    const [root] = byName(spans, "invoke_agent");
    const [tool] = byName(spans, "execute_tool");
    expect(tool!.parentSpanId).toBe(root!.spanId);
    expect(tool!.attributes).toMatchObject({ "gen_ai.tool.name": TOOL.name, "gen_ai.tool.call.id": TOOL.id });
    expect(JSON.parse(tool!.attributes["gen_ai.tool.call.arguments"] as string)).toEqual({ city: "Paris" });
    expect(JSON.parse(tool!.attributes["gen_ai.tool.call.result"] as string)).toEqual({ city: "Paris", celsius: 21 });
    expect(byName(spans, "chat")).toHaveLength(2);
  });

  it("stream(): the agent span ends when the stream finishes; TTFT on the llm span; the caller's onChunk still runs", async () => {
    const seen: string[] = [];
    const traced = session().wrapMastraAgent(agent());
    const out = await traced.stream([{ role: "user", content: "Hi" }], { onChunk: (c: any) => void seen.push(c.type) } as any);
    let text = "";
    for await (const t of out.textStream) text += t;
    expect(text).toBe(TEXT.join(""));
    expect(seen).toContain("text-delta");
    const spans = await env.sdk.flushSpans();
    expect(byName(spans, "invoke_agent")[0]!.attributes["gen_ai.request.stream"]).toBe(true);
    expect(byName(spans, "chat")[0]!.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("a provider error: rethrown or reported as Mastra does, the agent span fails", async () => {
    env.fake.options.failStatus = 500;
    const traced = wrapMastraAgentOf(agent());
    const outcome = await traced.generate([{ role: "user", content: "Hi" }], { modelSettings: { maxRetries: 0 } } as any).then(
      (r: any) => r.error ?? "resolved",
      (e: unknown) => e,
    );
    expect(outcome).toBeTruthy();
    const spans = await env.sdk.flushSpans();
    expect(byName(spans, "invoke_agent")[0]!.status?.code).toBe(2);
  });

  it("never modifies the agent; wrapping twice records one agent span per call; sessions stay apart", async () => {
    const raw = agent();
    const generate = raw.generate;
    await session().wrapMastraAgent(session().wrapMastraAgent(raw)).generate([{ role: "user", content: "Hi" }]);
    await Promise.all(["a", "b"].map((id) => fallom.session({ sessionId: id, customerId: "user-" + id }).wrapMastraAgent(raw).generate([{ role: "user", content: "Hi" }])));
    expect(raw.generate).toBe(generate);
    const roots = byName(await env.sdk.flushSpans(), "invoke_agent");
    expect(roots).toHaveLength(3);
    for (const r of roots.filter((x) => x.attributes["session.id"] !== "s-1")) expect(r.attributes["user.id"]).toBe("user-" + r.attributes["session.id"]);
  });
});

const wrapMastraAgentOf = <T extends object>(a: T) => session().wrapMastraAgent(a);
