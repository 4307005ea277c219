// OpenAI chat completions and Responses API requests and results → gen_ai.* message attributes.
import { message, part, parts, tools } from "../common/content";

type Out = Record<string, unknown>;

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` of a chat completions request */
export function chatInput(body: any): Out {
  const system: Out[] = [];
  const messages: Out[] = [];
  for (const m of body.messages ?? []) {
    if (m?.role == "system" || m?.role == "developer") system.push(...parts(m.content));
    else messages.push(message(m));
  }
  return { "gen_ai.system_instructions": system.length ? system : undefined, "gen_ai.input.messages": messages, "gen_ai.tool.definitions": tools(body.tools) };
}

/** `gen_ai.output.messages` of a chat completion (each choice one message) */
export const chatOutput = (choices: any[]): Out[] => choices.map((c) => message(c.message, c.finish_reason));

/** The same for a Responses API request: `instructions`, then `input` (a string or a list of items) */
export const responsesInput = (body: any): Out => ({
  "gen_ai.system_instructions": body.instructions ? parts(body.instructions) : undefined,
  // a function_call_output item gets no role: message() names it "tool" (role "tool" means a chat tool message)
  "gen_ai.input.messages": (typeof body.input == "string" ? [{ content: body.input }] : (body.input ?? [])).map((item: any) =>
    item?.role || item?.content ? message(item) : message({ role: item?.type == "function_call" ? "assistant" : undefined, content: [item] }),
  ),
  "gen_ai.tool.definitions": tools(body.tools),
});

/** A Responses API `output` list as one assistant message */
export const responsesOutput = (output: any[], finish_reason?: string): Out[] => [
  message({ role: "assistant", content: output.flatMap((item) => (item?.type == "message" ? item.content : [item])) }, finish_reason),
];
