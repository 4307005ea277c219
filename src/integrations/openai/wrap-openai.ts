// session.wrapOpenAI(client): chat completions, Responses API, embeddings and images traced as llm spans; the SDK's
// helpers (parse, stream, runTools) go through the traced create(), so they are traced too, once.
import type { Span } from "../../core/span";
import { capturing, llmCall, recordResult, sent, type WrapOptions } from "../common/llm-span";
import { requestAttributes } from "../common/request";
import { providerFromUrl } from "../common/provider-name";
import { streamSpan, tapStream } from "../common/stream-span";
import { wrapClient, type Traced } from "../common/wrap-client";
import { chatInput, chatOutput, responsesInput, responsesOutput } from "./content";
import { providerUsage } from "../common/usage";

export interface OpenAIWrapOptions extends WrapOptions {
  /**
   * Adds `stream_options: { include_usage: true }` to streamed chat completions that do not ask for usage, so their
   * spans get token counts and cost. Off by default: the request is sent as written and such spans have no usage.
   */
  includeStreamUsage?: boolean;
}

type Api = {
  operation: string;
  input: (req: any) => Record<string, unknown>;
  result: (span: Span, r: any, model: string) => void;
  observe: (span: Span, stream: any, model: string) => unknown;
};

const recordChat = (span: Span, r: any, model: string): void =>
  recordResult(span, model, () => {
    const choices: any[] = r?.choices ?? [];
    return {
      id: r?.id,
      model: r?.model,
      finishReasons: choices.map((c) => c.finish_reason),
      tools: choices.flatMap((c) => c.message?.tool_calls?.map((t: any) => t.function?.name) ?? []),
      tokens: providerUsage(r?.usage),
      output: () => chatOutput(choices),
    };
  });

function recordResponse(span: Span, r: any, model: string): void {
  const reason = r?.status == "incomplete" ? r.incomplete_details?.reason : r?.status;
  if (reason == "failed") span.setAttribute("error.type", r.error?.code).setStatus("error", r.error?.message);
  recordResult(span, model, () => {
    const output: any[] = r?.output ?? [];
    return {
      id: r?.id,
      model: r?.model,
      finishReasons: [reason],
      tools: output.filter((i) => i?.type == "function_call").map((i) => i.name),
      tokens: providerUsage(r?.usage),
      output: () => responsesOutput(output, reason),
    };
  });
}

const recordUsage = (span: Span, r: any, model: string): void =>
  recordResult(span, model, () => ({ model: r?.model, tokens: providerUsage(r?.usage), output: () => undefined }));

// chunks → one completion (text only when content is captured; tool call names always)
function chatStream(span: Span, stream: any, model: string): unknown {
  const capture = capturing();
  const acc: any = { choices: [] };
  const s = streamSpan(span, () => recordChat(span, acc, model));
  return tapStream(stream, s, (c: any) => {
    acc.id ??= c.id;
    acc.model ??= c.model;
    acc.usage = c.usage ?? acc.usage;
    let content = false;
    for (const ch of c.choices ?? []) {
      const d = ch.delta ?? {};
      const choice = (acc.choices[ch.index ?? 0] ??= { message: { role: "assistant", content: "" } });
      choice.finish_reason ??= ch.finish_reason;
      if (d.content || d.refusal) content = true;
      if (capture && d.content) choice.message.content += d.content;
      for (const t of d.tool_calls ?? []) {
        content = true;
        const call = ((choice.message.tool_calls ??= [])[t.index ?? 0] ??= { id: t.id, function: { name: t.function?.name, arguments: "" } });
        if (capture) call.function.arguments += t.function?.arguments ?? "";
      }
    }
    s.chunk(content);
  });
}

// Responses API events: the final one carries the whole response; any `*.delta` is content
function eventStream(span: Span, stream: any, model: string, final?: any): unknown {
  const s = streamSpan(span, () => (final?.output ? recordResponse : recordUsage)(span, final, model));
  return tapStream(stream, s, (e: any) => {
    if (e?.response?.status || e?.usage) final = e.response ?? e;
    s.chunk(/\.delta$|partial_image/.test(e?.type));
  });
}

const noContent = () => ({});

const API: Record<string, Api> = {
  "chat.completions.create": { operation: "chat", input: chatInput, result: recordChat, observe: chatStream },
  "responses.create": { operation: "chat", input: responsesInput, result: recordResponse, observe: eventStream },
  // embeddings and images: model, usage and cost (their inputs are not messages)
  "embeddings.create": { operation: "embeddings", input: noContent, result: recordUsage, observe: eventStream },
  "images.generate": { operation: "generate_content", input: noContent, result: recordUsage, observe: eventStream },
};

const METHODS: Record<string, Traced<OpenAIWrapOptions>> = {};
for (const path in API) {
  const api = API[path]!;
  METHODS[path] = (o, client, fn, self, args) => {
    let body = args[0];
    const stream = !!body?.stream;
    const req = sent(body, "messages", "input");
    if (stream && o.includeStreamUsage && path[0] == "c" && !body.stream_options?.include_usage)
      body = { ...body, stream_options: { ...body.stream_options, include_usage: true } };
    return llmCall(
      o,
      api.operation,
      req.model,
      stream,
      () => ({
        "gen_ai.provider.name": providerFromUrl(client.baseURL, "openai"),
        "gen_ai.output.type": path[0] == "i" ? "image" : req.response_format?.type,
        ...requestAttributes(req),
      }),
      () => api.input(req),
      () => fn.apply(self, [body, ...args.slice(1)]),
      (span, r) => api.result(span, r, req.model),
      (span, r) => api.observe(span, r, req.model),
    );
  };
}
const ALIASES = { _client: "" };

/**
 * The same OpenAI client (or any OpenAI-compatible one: OpenRouter, vLLM, Ollama, LiteLLM via `baseURL`), traced:
 * one llm span per call, streams included. The client is not modified; wrapping a wrapped client re-wraps its original.
 */
export function wrapOpenAI<T extends object>(client: T, options?: OpenAIWrapOptions): T {
  return wrapClient(client, options ?? {}, METHODS, ALIASES);
}
