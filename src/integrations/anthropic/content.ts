// Anthropic Messages API content blocks → OpenTelemetry GenAI message JSON (gen_ai.*.messages).
import { media } from "../shared/media";

type Out = Record<string, unknown>;

function block(b: any): Out {
  if (typeof b == "string") return { type: "text", content: b };
  switch (b?.type) {
    case "text":
      return { type: "text", content: b.text };
    case "thinking":
      return { type: "reasoning", content: b.thinking };
    case "image":
    case "document": {
      const s = b.source ?? {};
      if (s.type == "text") return { type: "text", content: s.data };
      if (s.type == "file") return { type: "file", file_id: s.file_id };
      return media(s.url ?? s.data, s.media_type, b.type == "image" ? "image" : undefined);
    }
    case "tool_use":
    case "server_tool_use":
      return { type: "tool_call", id: b.id, name: b.name, arguments: b.input };
    case "tool_result":
      return { type: "tool_call_response", id: b.tool_use_id, response: Array.isArray(b.content) ? b.content.map(block) : b.content };
  }
  return { type: b?.type };
}

const blocks = (content: unknown): Out[] => (content == null ? [] : Array.isArray(content) ? content.map(block) : [block(content)]);

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` of a messages request */
export const messagesInput = (body: any): Out => ({
  "gen_ai.system_instructions": body.system ? blocks(body.system) : undefined,
  "gen_ai.input.messages": (body.messages ?? []).map((m: any) => ({ role: m?.role, parts: blocks(m?.content) })),
  "gen_ai.tool.definitions": body.tools?.map((t: any) => ({ type: t.type ?? "function", name: t.name, description: t.description, parameters: t.input_schema })),
});

/** `gen_ai.output.messages` of a message: text, thinking and tool_use blocks in order */
export const messageOutput = (m: any): Out[] => [{ role: m?.role ?? "assistant", parts: blocks(m?.content), finish_reason: m?.stop_reason ?? undefined }];
