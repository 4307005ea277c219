// AI SDK prompts and content → OpenTelemetry GenAI message JSON (gen_ai.*.messages). Binary data is never inlined.
import { base64Bytes, toolArguments } from "../common/media";
import { inline } from "../common/uploads";
import type { CallOptions, Part } from "./types";

type Out = Record<string, unknown>;

function file(p: Part): Out {
  const mime_type: string | undefined = p.mediaType;
  const modality = mime_type?.split("/")[0];
  let d = p.data;
  // v4 tags its file data: { type: "data" | "url" | "reference" | "text", … }
  const tag = d?.type;
  if (tag === "text") return { type: "text", content: d.text };
  if (tag === "reference") return { type: "file", modality, mime_type, file_id: Object.values(d.reference)[0] };
  if (tag) d = d.url ?? d.data;
  if (d instanceof URL) return { type: "uri", modality, mime_type, uri: d.href };
  // a semconv `blob` part requires its base64 content, which is never recorded: this part type says it was left out
  return inline({ type: "blob_omitted", modality, mime_type, byte_length: typeof d === "string" ? base64Bytes(d) : d?.byteLength }, d);
}

function part(p: Part): Out {
  const type = p.type;
  if (type === "text" || type === "reasoning") return { type, content: p.text };
  if (type === "tool-call") return { type: "tool_call", id: p.toolCallId, name: p.toolName, arguments: toolArguments(p.input) };
  if (type === "tool-result") {
    const o = p.output ?? p.result;
    const value = o?.type === "content" && Array.isArray(o.value) ? o.value.map(part) : (o?.value ?? o);
    return { type: "tool_call_response", id: p.toolCallId, response: value };
  }
  return type === "file" || type === "reasoning-file" ? file(p) : { type };
}

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` of a call */
export function inputContent(params: CallOptions): Out {
  const system: Out[] = [];
  const messages: Out[] = [];
  for (const { role, content } of params.prompt ?? []) {
    if (role === "system") system.push({ type: "text", content });
    else messages.push({ role, parts: typeof content === "string" ? [{ type: "text", content }] : content.map(part) });
  }
  return {
    "gen_ai.system_instructions": system.length ? system : undefined,
    "gen_ai.input.messages": messages,
    "gen_ai.tool.definitions": params.tools?.map((t) => ({
      type: t.type,
      name: t.name,
      description: t.description,
      parameters: t.inputSchema ?? t.parameters,
    })),
  };
}

// a list an app may still append to after the call (its chat history): copied now, by reference only
const own = (x: unknown): unknown => (Array.isArray(x) ? x.slice() : x);

/**
 * `fallom.input` of an `ai` call, serialised at export instead of on the request path (its cost grows with the prompt).
 * Only the top-level lists are copied now; the messages in them are not (ai treats them as immutable).
 */
export function callInput(o: Record<string, any>): () => Out {
  const input = { system: own(o.system ?? o.instructions), prompt: own(o.prompt), messages: own(o.messages), value: o.value, values: own(o.values) };
  return () => ({ "fallom.input": input });
}

/** `gen_ai.output.messages` for the content of a generate result or a finished stream */
export function outputMessages(content: Part[] | undefined, finishReason: string | undefined): Out[] {
  return [{ role: "assistant", parts: (content ?? []).map(part), finish_reason: finishReason }];
}
