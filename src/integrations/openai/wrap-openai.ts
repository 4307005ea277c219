// session.wrapOpenAI(client): chat completions, Responses API, embeddings and images traced as llm spans; the SDK's
// helpers (parse, stream, runTools) go through the traced create(), so they are traced too, once.
import { tokenAttributes, type Span } from "../../core/span";
import { capturing, cost, requestAttributes, startSpan, traceCall, type WrapOptions } from "../shared/llm-span";
import { providerFromUrl } from "../shared/provider-name";
import { streamSpan, tapStream } from "../shared/stream-span";
import { wrapClient, type Traced } from "../shared/wrap-client";
import { chatInput, chatOutput, responsesInput, responsesOutput } from "./content";
import { openaiUsage } from "./usage";

export interface OpenAIWrapOptions extends WrapOptions {
  /**
   * Adds `stream_options: { include_usage: true }` to streamed chat completions that do not ask for usage, so their
   * spans get token counts and cost. Off by default: the request is sent as written and such spans have no usage.
   */
  includeStreamUsage?: boolean;
}

type Out = Record<string, unknown>;

/** Starts the span of one call; request settings and content are read at export from a copy of the body */
function begin(o: OpenAIWrapOptions, client: any, operation: string, body: any, content?: (req: any) => Out): Span {
  const model = body?.model;
  const span = startSpan(o, operation + " " + model, {
    "gen_ai.operation.name": operation,
    "gen_ai.request.model": model,
    "gen_ai.request.stream": !!body?.stream,
  });
  if (span.isRecording()) {
    // callers often reuse the body and push to its lists after the call: keep what was sent
    const req = { ...body };
    for (const k of ["messages", "input"]) if (Array.isArray(req[k])) req[k] = req[k].slice();
    span.later(() => ({
      "gen_ai.provider.name": providerFromUrl(client.baseURL, "openai"),
      "gen_ai.output.type": req.response_format?.type ?? req.text?.format?.type,
      ...requestAttributes(req),
      ...(content && capturing() && content(req)),
    }));
  }
  return span;
}

/** id, model, usage, cost and output of a finished call, computed at export */
function record(span: Span, r: any, model: string | undefined, finishReasons: unknown, output: () => unknown, toolCalls: string[]): void {
  span.later(() => {
    const tokens = openaiUsage(r.usage);
    return {
      "gen_ai.response.id": r.id,
      "gen_ai.response.model": r.model,
      "gen_ai.response.finish_reasons": finishReasons,
      "fallom.response.tool_calls": toolCalls.length ? toolCalls : undefined,
      ...tokenAttributes(tokens),
      ...cost(tokens, r.model, model),
      "gen_ai.output.messages": capturing() ? output() : undefined,
    };
  });
}

function recordChat(span: Span, r: any, model: string | undefined): void {
  const choices: any[] = r?.choices ?? [];
  const tools = choices.flatMap((c) => c.message?.tool_calls?.map((t: any) => t.function?.name) ?? []);
  record(span, r ?? {}, model, choices.map((c) => c.finish_reason).filter(Boolean), () => chatOutput(choices), tools);
}

function recordResponse(span: Span, r: any, model: string | undefined): void {
  const output: any[] = r?.output ?? [];
  const reason = r?.status == "incomplete" ? r.incomplete_details?.reason : r?.status;
  if (r?.status == "failed") span.setAttribute("error.type", r.error?.code).setStatus("error", r.error?.message);
  const tools = output.filter((i) => i?.type == "function_call").map((i) => i.name);
  record(span, r ?? {}, model, reason && [reason], () => responsesOutput(output, reason), tools);
}

// chunks → one completion (text only when content is captured; tool call names always)
function chatStream(span: Span, stream: any, model: string | undefined): unknown {
  const capture = capturing();
  const acc: any = { choices: [] };
  const s = streamSpan(span, () => recordChat(span, acc, model));
  return tapStream(stream, s, (c: any) => {
    acc.id ??= c.id;
    acc.model ??= c.model;
    if (c.usage) acc.usage = c.usage;
    let content = false;
    for (const ch of c.choices ?? []) {
      const d = ch.delta ?? {};
      const choice = (acc.choices[ch.index ?? 0] ??= { message: { role: "assistant", content: "" } });
      if (ch.finish_reason) choice.finish_reason = ch.finish_reason;
      const text = d.content || d.refusal || d.reasoning_content;
      if (text) {
        content = true;
        if (capture && d.content) choice.message.content += d.content;
      }
      for (const t of d.tool_calls ?? []) {
        content = true;
        const call = ((choice.message.tool_calls ??= [])[t.index ?? 0] ??= { id: t.id, function: { name: t.function?.name, arguments: "" } });
        if (capture && t.function?.arguments) call.function.arguments += t.function.arguments;
      }
    }
    s.chunk(content);
  });
}

const chat: Traced<OpenAIWrapOptions> = (o, client, fn, self, args) => {
  const body = args[0];
  const span = begin(o, client, "chat", body, chatInput);
  if (!span.isRecording()) return fn.apply(self, args);
  const stream = !!body?.stream;
  if (stream && o.includeStreamUsage && !body.stream_options?.include_usage)
    args = [{ ...body, stream_options: { ...body.stream_options, include_usage: true } }, ...args.slice(1)];
  return traceCall(
    span,
    () => fn.apply(self, args),
    (r) => (stream ? chatStream(span, r, body.model) : (recordChat(span, r, body.model), span.end(), r)),
  );
};

const responses: Traced<OpenAIWrapOptions> = (o, client, fn, self, args) => {
  const body = args[0];
  const span = begin(o, client, "chat", body, responsesInput);
  if (!span.isRecording()) return fn.apply(self, args);
  return traceCall(
    span,
    () => fn.apply(self, args),
    (r) => {
      if (!body?.stream) return recordResponse(span, r, body?.model), span.end(), r;
      let final: any;
      const s = streamSpan(span, () => recordResponse(span, final, body.model));
      return tapStream(r, s, (e: any) => {
        if (e?.response && /^response\.(completed|incomplete|failed)$/.test(e.type)) final = e.response;
        s.chunk(typeof e?.type == "string" && e.type.endsWith(".delta"));
      });
    },
  );
};

/** embeddings and images: usage and model, no streamed text */
const other =
  (operation: string, outputType?: string): Traced<OpenAIWrapOptions> =>
  (o, client, fn, self, args) => {
    const body = args[0];
    const span = begin(o, client, operation, body, (req) => ({ "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: req.prompt ?? req.input }] }] }));
    if (!span.isRecording()) return fn.apply(self, args);
    if (outputType) span.setAttribute("gen_ai.output.type", outputType);
    const done = (r: any) => record(span, r ?? {}, body?.model, undefined, () => undefined, []);
    return traceCall(
      span,
      () => fn.apply(self, args),
      (r) => {
        if (!body?.stream) return done(r), span.end(), r;
        let last: any;
        const s = streamSpan(span, () => done(last));
        return tapStream(r, s, (e: any) => {
          if (e?.usage) last = e;
          s.chunk(true);
        });
      },
    );
  };

const METHODS = {
  "chat.completions.create": chat,
  "responses.create": responses,
  "embeddings.create": other("embeddings"),
  "images.generate": other("generate_content", "image"),
};
const ALIASES = { _client: "" };

/**
 * The same OpenAI client (or any OpenAI-compatible one: OpenRouter, vLLM, Ollama, LiteLLM via `baseURL`), traced:
 * one llm span per call, streams included. The client is not modified; wrapping a wrapped client re-wraps its original.
 */
export function wrapOpenAI<T extends object>(client: T, options?: OpenAIWrapOptions): T {
  return wrapClient(client, options ?? {}, METHODS, ALIASES);
}
