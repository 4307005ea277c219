import type { TokenCounts } from "../../core/types";
import { num } from "../shared/tokens";

/**
 * Token counts of chat completions (`prompt_tokens`, `completion_tokens`), Responses API (`input_tokens`,
 * `output_tokens`) and embeddings usage; totals include cached input and reasoning output, as OpenAI reports them.
 */
export function openaiUsage(u: any): TokenCounts {
  if (!u || typeof u != "object") return {};
  const i = u.prompt_tokens_details ?? u.input_tokens_details;
  const o = u.completion_tokens_details ?? u.output_tokens_details;
  return {
    input: num(u.prompt_tokens ?? u.input_tokens),
    output: num(u.completion_tokens ?? u.output_tokens),
    cacheRead: num(i?.cached_tokens),
    cacheWrite: num(i?.cache_write_tokens),
    reasoning: num(o?.reasoning_tokens),
  };
}
