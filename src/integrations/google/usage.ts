import type { TokenCounts } from "../../core/types";
import { num } from "../shared/tokens";

/**
 * Token counts of Gemini `usageMetadata`: the prompt count includes cached content (and tool-use prompts are added);
 * output is candidates plus thoughts, as Gemini bills thinking as output.
 */
export function geminiUsage(u: any): TokenCounts {
  if (!u || typeof u != "object") return {};
  const prompt = num(u.promptTokenCount);
  const candidates = num(u.candidatesTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  return {
    input: prompt === undefined ? undefined : prompt + (num(u.toolUsePromptTokenCount) ?? 0),
    output: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    cacheRead: num(u.cachedContentTokenCount),
    reasoning: thoughts,
  };
}
