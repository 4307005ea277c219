// Anthropic Messages API requests and results → gen_ai.* message attributes.
import { message, parts, tools } from "../common/content";

/** `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.tool.definitions` of a messages request */
export const messagesInput = (body: any): Record<string, unknown> => ({
  "gen_ai.system_instructions": body.system ? parts(body.system) : undefined,
  "gen_ai.input.messages": (body.messages ?? []).map((m: any) => message(m)),
  "gen_ai.tool.definitions": tools(body.tools),
});

/** `gen_ai.output.messages` of a message: text, thinking and tool_use blocks in order */
export const messageOutput = (m: any): Record<string, unknown>[] => [message(m, m?.stop_reason ?? undefined)];
