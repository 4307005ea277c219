import type { TokenCounts } from "../../core/types";
import { num } from "../shared/tokens";

/**
 * Token counts of a Messages API usage block. Anthropic's `input_tokens` leaves out cache reads and writes: the total
 * input adds them back (semconv); thinking tokens are part of `output_tokens`.
 */
export function anthropicUsage(u: any): TokenCounts {
  if (!u || typeof u != "object") return {};
  const read = num(u.cache_read_input_tokens);
  const write = num(u.cache_creation_input_tokens);
  const input = num(u.input_tokens);
  return {
    input: input === undefined ? undefined : input + (read ?? 0) + (write ?? 0),
    output: num(u.output_tokens),
    cacheRead: read,
    cacheWrite: write,
    reasoning: num(u.output_tokens_details?.thinking_tokens),
  };
}
