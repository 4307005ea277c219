// Provider messages → OpenTelemetry GenAI message JSON (gen_ai.*.messages), one converter for the part shapes of
// OpenAI (chat completions and Responses API), Anthropic and Gemini. Inline media becomes a placeholder (media.ts).
import { media, toolArguments } from "./media";

type Out = Record<string, unknown>;

/** One content part, whichever provider's shape it has */
export function part(p: any): Out {
  if (typeof p == "string") return { type: "text", content: p };
  const type = p?.type;
  // OpenAI text / input_text / output_text, Anthropic text, Gemini text (`thought: true` is reasoning)
  if (typeof p?.text == "string") return { type: p.thought ? "reasoning" : "text", content: p.text };
  if (p?.refusal) return { type: "text", content: p.refusal };
  if (typeof p?.thinking == "string") return { type: "reasoning", content: p.thinking };
  if (type == "reasoning") return { type, content: p.summary?.map((s: any) => s.text).join("\n") };
  const call = p?.functionCall ?? (/^(function_call|tool_use)$/.test(type) && p);
  if (call) return { type: "tool_call", id: call.call_id ?? call.id, name: call.name, arguments: toolArguments(call.arguments ?? call.input ?? call.args) };
  const result = p?.functionResponse ?? (/^(function_call_output|tool_result)$/.test(type) && p);
  if (result)
    return {
      type: "tool_call_response",
      id: result.call_id ?? result.tool_use_id ?? result.id ?? result.name,
      response: result.output ?? result.response ?? (Array.isArray(result.content) ? result.content.map(part) : result.content),
    };
  // media: OpenAI image_url / input_image / input_audio / file / input_file, Anthropic image / document, Gemini inlineData / fileData
  const src = p?.image_url ?? p?.input_audio ?? p?.file ?? p?.source ?? p?.inlineData ?? p?.fileData ?? p ?? {};
  const data = typeof src == "string" ? src : (src.url ?? src.data ?? src.file_data ?? src.file_url ?? src.fileUri);
  if (data != null) return media(data, src.media_type ?? src.mimeType ?? (src.format && "audio/" + src.format), /image/.test(type) ? "image" : undefined);
  const file_id = src.file_id ?? p?.file_id;
  return file_id ? { type: "file", file_id } : { type: type ?? Object.keys(p ?? {})[0] };
}

/** Content given as a string, a part, or a list of parts */
export const parts = (content: unknown): Out[] => (content == null ? [] : Array.isArray(content) ? content.map(part) : [part(content)]);

/** A message (OpenAI `{ role, content, tool_calls }`, Anthropic `{ role, content }`, Gemini `{ role, parts }`) */
export function message(m: any, finish_reason?: string): Out {
  const out = parts(m?.content ?? m?.parts);
  for (const c of m?.tool_calls ?? []) out.push({ type: "tool_call", id: c.id, name: c.function?.name, arguments: toolArguments(c.function?.arguments) });
  const role = m?.role;
  if (role == "tool") out.splice(0, out.length, { type: "tool_call_response", id: m.tool_call_id, response: m.content });
  return {
    role: role == "model" ? "assistant" : out.length && out.every((p) => p.type == "tool_call_response") ? "tool" : (role ?? "user"),
    parts: out,
    finish_reason,
  };
}

/** `gen_ai.tool.definitions` of OpenAI (chat, Responses), Anthropic and Gemini tool lists */
export const tools = (list: any[] | undefined): Out[] | undefined =>
  list
    ?.flatMap((t) => t?.functionDeclarations ?? [t])
    .map((t) => {
      const f = t.function ?? t;
      return { type: t.type ?? "function", name: f.name, description: f.description, parameters: f.parameters ?? f.input_schema ?? f.parametersJsonSchema };
    });
