// The Langfuse profile: what Langfuse's documented OTLP mapping reads beyond the standard attributes.
// `init({ profile: langfuse })`; off by default, as most of it repeats what the standard keys already say.
import type { Span } from "../../core/span";
import type { AttributeValue } from "../../core/types";

// fallom.span.type → langfuse.observation.type (Langfuse maps only chat/embeddings/invoke_agent/execute_tool by itself)
const TYPES: Record<string, string> = { llm: "generation", agent: "agent", tool: "tool", retrieval: "retriever", evaluation: "evaluator" };

// keys Langfuse reads under its own name: moved, not copied, so the payload does not grow
const MOVED: Record<string, string> = {
  "fallom.input": "langfuse.observation.input",
  "fallom.output": "langfuse.observation.output",
  "fallom.tags": "langfuse.trace.tags",
};

const COST = /^fallom\.cost\.(.+)_usd$/;

/**
 * Langfuse profile: observation type of every span, input/output of manual and agent spans, our cost
 * (`gen_ai.usage.cost` + `langfuse.observation.cost_details`), time to first token as `completion_start_time`,
 * tags, prompt linkage, and evaluations as `evaluator` observations with the score as output.
 */
export function langfuse(attributes: Map<string, AttributeValue>, span: Span): void {
  const a = attributes;
  a.set("langfuse.observation.type", a.get("gen_ai.operation.name") === "embeddings" ? "embedding" : (TYPES[span.type] ?? "span"));
  for (const key in MOVED) {
    const v = a.get(key);
    if (v !== undefined) {
      a.delete(key);
      a.set(MOVED[key]!, v);
    }
  }
  const ttft = a.get("gen_ai.response.time_to_first_chunk");
  if (typeof ttft == "number") a.set("langfuse.observation.completion_start_time", new Date(span.startTime + ttft * 1000).toISOString());
  const cost: Record<string, AttributeValue> = {};
  a.forEach((v, k) => {
    const m = COST.exec(k);
    if (m) cost[m[1]!] = v;
  });
  if (typeof cost.total == "number") {
    a.set("gen_ai.usage.cost", cost.total);
    a.set("langfuse.observation.cost_details", JSON.stringify(cost));
  }
  const prompt = a.get("gen_ai.prompt.name");
  if (prompt !== undefined) a.set("langfuse.observation.prompt.name", prompt);
  const version = a.get("fallom.prompt.version");
  if (version !== undefined) a.set("langfuse.observation.prompt.version", version);
  if (span.type == "evaluation")
    a.set(
      "langfuse.observation.output",
      JSON.stringify({
        score: a.get("gen_ai.evaluation.score.value"),
        label: a.get("gen_ai.evaluation.score.label"),
        explanation: a.get("gen_ai.evaluation.explanation"),
      }),
    );
}
