// Gemini contents (@google/genai and @google/generative-ai share them) → gen_ai.* message attributes.
import { message, parts, tools } from "../common/content";

/** Any accepted `contents` (a string, a part, parts, a content, contents) as a list of contents */
export function toContents(c: any): any[] {
  if (c == null) return [];
  if (Array.isArray(c)) return c.length && c.every((x) => x?.parts) ? c : [{ role: "user", parts: c }];
  return [c.parts ? c : { role: "user", parts: [c] }];
}

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` */
export const geminiInput = (contents: any[], config: any): Record<string, unknown> => ({
  "gen_ai.system_instructions": config?.systemInstruction ? toContents(config.systemInstruction).flatMap((c) => parts(c.parts)) : undefined,
  "gen_ai.input.messages": contents.map((c) => message(c)),
  "gen_ai.tool.definitions": tools(config?.tools),
});

/** `gen_ai.output.messages`: one message per candidate */
export const geminiOutput = (candidates: any[] | undefined): Record<string, unknown>[] | undefined =>
  candidates?.map((c) => message({ ...c.content, role: "model" }, c.finishReason));
