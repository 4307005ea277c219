// The model behind a model id: the real provider when its key is set, else the built-in mock (offline).
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { mockModel } from "./mock-model";

// the A/B test's OpenAI models and their Anthropic counterparts, for an Anthropic-only setup
const ANTHROPIC_EQUIVALENT: Record<string, string> = { "gpt-4o-mini": "claude-haiku-4-5", "gpt-4.1-mini": "claude-sonnet-4-5" };

export function providerModel(modelId: string, env: { OPENAI_API_KEY?: string; ANTHROPIC_API_KEY?: string }) {
  if (modelId.startsWith("claude") && env.ANTHROPIC_API_KEY) return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY })(modelId);
  if (env.OPENAI_API_KEY) return createOpenAI({ apiKey: env.OPENAI_API_KEY })(modelId);
  if (env.ANTHROPIC_API_KEY) return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY })(ANTHROPIC_EQUIVALENT[modelId] ?? "claude-haiku-4-5");
  return mockModel(modelId);
}
