// Gemini contents and parts (@google/genai and @google/generative-ai share them) → OpenTelemetry GenAI message JSON.
import { media } from "../shared/media";

type Out = Record<string, unknown>;

function part(p: any): Out {
  if (typeof p == "string") return { type: "text", content: p };
  if (typeof p?.text == "string") return { type: p.thought ? "reasoning" : "text", content: p.text };
  if (p?.inlineData) return media(p.inlineData.data, p.inlineData.mimeType);
  if (p?.fileData) return media(p.fileData.fileUri, p.fileData.mimeType);
  if (p?.functionCall) return { type: "tool_call", id: p.functionCall.id, name: p.functionCall.name, arguments: p.functionCall.args };
  if (p?.functionResponse) return { type: "tool_call_response", id: p.functionResponse.id ?? p.functionResponse.name, response: p.functionResponse.response };
  return { type: Object.keys(p ?? {})[0] };
}

/** Any accepted `contents` (a string, a part, parts, a content, contents) as a list of contents */
export function toContents(c: any): any[] {
  if (c == null) return [];
  if (Array.isArray(c)) return c.length && c.every((x) => x?.parts) ? c : [{ role: "user", parts: c }];
  return [c.parts ? c : { role: "user", parts: [c] }];
}

const role = (c: any): string => (c.role == "model" ? "assistant" : c.parts?.every((p: any) => p?.functionResponse) ? "tool" : (c.role ?? "user"));

export const contentsMessages = (contents: any[]): Out[] => contents.map((c) => ({ role: role(c), parts: (c.parts ?? []).map(part) }));

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` */
export const geminiInput = (contents: any[], config: any): Out => ({
  "gen_ai.system_instructions": config?.systemInstruction ? toContents(config.systemInstruction).flatMap((c) => (c.parts ?? []).map(part)) : undefined,
  "gen_ai.input.messages": contentsMessages(contents),
  "gen_ai.tool.definitions": config?.tools
    ?.flatMap((t: any) => t.functionDeclarations ?? [])
    .map((f: any) => ({ type: "function", name: f.name, description: f.description, parameters: f.parameters ?? f.parametersJsonSchema })),
});

/** `gen_ai.output.messages`: one message per candidate */
export const geminiOutput = (candidates: any[] | undefined): Out[] | undefined =>
  candidates?.map((c) => ({ role: "assistant", parts: (c.content?.parts ?? []).map(part), finish_reason: c.finishReason }));
