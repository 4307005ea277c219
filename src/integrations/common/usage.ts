import type { TokenCounts } from "../../core/types";
import { num } from "./tokens";

const sum = (...counts: unknown[]): number => counts.reduce<number>((a, c) => a + (num(c) ?? 0), 0);

/**
 * Token counts of a provider's usage block: OpenAI chat completions (`prompt_tokens`, `completion_tokens` and their
 * details), Responses API and embeddings, Anthropic (`input_tokens` leaves out cache reads and writes: added back,
 * as semconv counts all input), Gemini `usageMetadata` (output = candidates + thoughts, as Gemini bills thinking).
 * A count the provider did not report stays undefined, never 0.
 */
export function providerUsage(u: any): TokenCounts {
  if (!u || typeof u != "object") return {};
  const read = u.cache_read_input_tokens;
  const write = u.cache_creation_input_tokens;
  const input = num(u.prompt_tokens ?? u.input_tokens ?? u.promptTokenCount);
  const output = num(u.completion_tokens ?? u.output_tokens);
  const thoughts = num(u.thoughtsTokenCount);
  const gemini = num(u.candidatesTokenCount) ?? thoughts;
  const i = u.prompt_tokens_details ?? u.input_tokens_details;
  const o = u.completion_tokens_details ?? u.output_tokens_details;
  return {
    input: input === undefined ? undefined : input + sum(read, write, u.toolUsePromptTokenCount),
    output: output ?? (gemini === undefined ? undefined : sum(u.candidatesTokenCount, thoughts)),
    cacheRead: num(i?.cached_tokens ?? read ?? u.cachedContentTokenCount),
    cacheWrite: num(write ?? i?.cache_write_tokens),
    reasoning: num(o?.reasoning_tokens ?? o?.thinking_tokens ?? thoughts),
  };
}
