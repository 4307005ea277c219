// session.wrapAnthropic(client): messages.create (plain and streamed) traced as llm spans; messages.stream() and
// messages.parse() call the traced create(), so they are traced too, once, with their helpers intact.
import type { Span } from "../../core/span";
import { capturing, llmCall, recordResult, sent, type WrapOptions } from "../common/llm-span";
import { requestAttributes } from "../common/request";
import { providerFromUrl } from "../common/provider-name";
import { streamSpan, tapStream } from "../common/stream-span";
import { wrapClient, type Traced } from "../common/wrap-client";
import { messageOutput, messagesInput } from "./content";
import { providerUsage } from "../common/usage";

const record = (span: Span, m: any, model: string | undefined): void =>
  recordResult(span, model, () => ({
    id: m?.id,
    model: m?.model,
    finishReasons: [m?.stop_reason],
    tools: (m?.content ?? []).filter((b: any) => b?.type == "tool_use").map((b: any) => b.name),
    tokens: providerUsage(m?.usage),
    output: () => messageOutput(m),
  }));

// events → one message: blocks by index, text only when content is captured, tool names always
function observe(span: Span, stream: any, model: string | undefined): unknown {
  const capture = capturing();
  let message: any = { content: [] };
  const s = streamSpan(span, () => record(span, message, model));
  return tapStream(stream, s, (e: any) => {
    let content = false;
    switch (e?.type) {
      case "message_start":
        message = { ...e.message, content: [] };
        break;
      case "content_block_start":
        message.content[e.index] = { ...e.content_block, ...(e.content_block?.type == "tool_use" && { input: "" }) };
        content = e.content_block?.type == "tool_use";
        break;
      case "content_block_delta": {
        const b = message.content[e.index] ?? {};
        const d = e.delta ?? {};
        const text = d.text ?? d.thinking ?? d.partial_json;
        content = !!text;
        if (capture && text) {
          if (d.type == "text_delta") b.text += text;
          else if (d.type == "thinking_delta") b.thinking += text;
          else if (d.type == "input_json_delta") b.input += text;
        }
        break;
      }
      case "content_block_stop": {
        const b = message.content[e.index];
        // tool input arrives as JSON text: recorded as the object a plain call returns
        if (capture && b?.type == "tool_use")
          try {
            b.input = JSON.parse(b.input || "{}");
          } catch {}
        break;
      }
      case "message_delta":
        message.stop_reason = e.delta?.stop_reason;
        // counts in the delta are cumulative: they replace those of message_start
        message.usage = { ...message.usage };
        for (const k in e.usage) if (e.usage[k] != null) message.usage[k] = e.usage[k];
    }
    s.chunk(content);
  });
}

const create: Traced<WrapOptions> = (o, client, fn, self, args) => {
  const body = args[0];
  const req = sent(body, "messages");
  return llmCall(
    o,
    "chat",
    req.model,
    !!req.stream,
    () => ({ "gen_ai.provider.name": providerFromUrl(client.baseURL, "anthropic"), ...requestAttributes(req) }),
    () => messagesInput(req),
    () => fn.apply(self, args),
    (span, m) => record(span, m, req.model),
    (span, stream) => observe(span, stream, req.model),
  );
};

const METHODS = { "messages.create": create };
const ALIASES = { _client: "" };

/** The same Anthropic client, traced: one llm span per message call, streams included. The client is not modified. */
export function wrapAnthropic<T extends object>(client: T, options?: WrapOptions): T {
  return wrapClient(client, options ?? {}, METHODS, ALIASES);
}
