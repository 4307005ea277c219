// OpenAI chat completions and Responses API content → OpenTelemetry GenAI message JSON (gen_ai.*.messages).
import { media } from "../shared/media";

type Out = Record<string, unknown>;

function part(p: any): Out {
  if (typeof p == "string") return { type: "text", content: p };
  switch (p?.type) {
    case "text":
    case "input_text":
    case "output_text":
      return { type: "text", content: p.text };
    case "refusal":
      return { type: "text", content: p.refusal };
    case "image_url":
      return media(p.image_url?.url, undefined, "image");
    case "input_image":
      return p.image_url ? media(p.image_url, undefined, "image") : { type: "file", modality: "image", file_id: p.file_id };
    case "input_audio":
      return media(p.input_audio?.data, "audio/" + p.input_audio?.format);
    case "file":
    case "input_file": {
      const f = p.file ?? p;
      const data = f.file_data ?? f.file_url;
      return data ? media(data) : { type: "file", file_id: f.file_id };
    }
    case "function_call":
      return { type: "tool_call", id: p.call_id, name: p.name, arguments: p.arguments };
    case "function_call_output":
      return { type: "tool_call_response", id: p.call_id, response: p.output };
    case "reasoning":
      return { type: "reasoning", content: p.summary?.map((s: any) => s.text).join("\n") };
  }
  return { type: p?.type };
}

const parts = (content: unknown): Out[] => (content == null ? [] : Array.isArray(content) ? content.map(part) : [part(content)]);

/** A chat message (request or response) in semconv shape */
function chatMessage(m: any, finish_reason?: string): Out {
  const out = parts(m.content);
  if (m.reasoning_content) out.unshift({ type: "reasoning", content: m.reasoning_content });
  if (m.refusal) out.push({ type: "text", content: m.refusal });
  for (const c of m.tool_calls ?? []) out.push({ type: "tool_call", id: c.id, name: c.function?.name, arguments: c.function?.arguments });
  if (m.role == "tool") return { role: "tool", parts: [{ type: "tool_call_response", id: m.tool_call_id, response: m.content }], finish_reason };
  return { role: m.role, parts: out, finish_reason };
}

const tools = (list: any[] | undefined): Out[] | undefined =>
  list?.map((t) => {
    const f = t.function ?? t;
    return { type: t.type, name: f.name, description: f.description, parameters: f.parameters };
  });

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` of a chat completions request */
export function chatInput(body: any): Out {
  const system: Out[] = [];
  const messages: Out[] = [];
  for (const m of body.messages ?? []) {
    if (m?.role == "system" || m?.role == "developer") system.push(...parts(m.content));
    else if (m) messages.push(chatMessage(m));
  }
  return { "gen_ai.system_instructions": system.length ? system : undefined, "gen_ai.input.messages": messages, "gen_ai.tool.definitions": tools(body.tools) };
}

/** `gen_ai.output.messages` of a chat completion (each choice one message) */
export const chatOutput = (choices: any[] | undefined): Out[] | undefined => choices?.map((c) => chatMessage(c.message ?? {}, c.finish_reason));

/** The same for a Responses API request: `instructions`, then `input` (a string or a list of items) */
export function responsesInput(body: any): Out {
  const messages: Out[] = [];
  const input = body.input;
  for (const item of typeof input == "string" ? [{ role: "user", content: input }] : (input ?? [])) {
    messages.push(item?.role ? { role: item.role, parts: parts(item.content) } : { role: item?.type == "function_call" ? "assistant" : "tool", parts: [part(item)] });
  }
  return {
    "gen_ai.system_instructions": body.instructions ? [{ type: "text", content: body.instructions }] : undefined,
    "gen_ai.input.messages": messages,
    "gen_ai.tool.definitions": tools(body.tools),
  };
}

/** A Responses API `output` list as one assistant message */
export const responsesOutput = (output: any[] | undefined, finish_reason?: string): Out[] => [
  { role: "assistant", parts: (output ?? []).flatMap((item) => (item?.type == "message" ? parts(item.content) : [part(item)])), finish_reason },
];
