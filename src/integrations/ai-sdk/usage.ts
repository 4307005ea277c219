import type { TokenCounts } from "../../core/types";
import { num } from "../common/tokens";
import type { FinishReason, Usage } from "./types";

// a total from its parts only when the main part is known (the others are subsets that may be absent)
const sum = (main: unknown, a: unknown, b?: unknown): number | undefined =>
  num(main) === undefined ? undefined : (main as number) + (num(a) ?? 0) + (num(b) ?? 0);

/**
 * Token counts from any spec version's usage: `input` includes cache reads and writes, `output` includes
 * reasoning; a count the provider did not report stays undefined (never 0).
 */
export function normalizeUsage(usage: Usage | undefined): TokenCounts {
  const u = (usage ?? {}) as any;
  const i = u.inputTokens;
  const o = u.outputTokens ?? {};
  if (i && typeof i === "object") {
    return {
      input: num(i.total) ?? sum(i.noCache, i.cacheRead, i.cacheWrite),
      output: num(o.total) ?? sum(o.text, o.reasoning),
      cacheRead: num(i.cacheRead),
      cacheWrite: num(i.cacheWrite),
      reasoning: num(o.reasoning),
    };
  }
  return {
    input: num(i),
    output: num(o),
    cacheRead: num(u.cachedInputTokens),
    reasoning: num(u.reasoningTokens),
  };
}

/** `stop`, `length`, `tool_call`, `content_filter`, `error`, `other`… (semconv spelling); undefined when absent */
export function normalizeFinishReason(reason: FinishReason | undefined): string | undefined {
  const r = typeof reason === "object" && reason ? reason.unified : reason;
  if (typeof r !== "string") return;
  return r === "tool-calls" ? "tool_call" : r.replace("-", "_");
}
