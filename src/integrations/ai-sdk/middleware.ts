import { nowMs } from "../../core/clock";
import { expectSpan, trackFor } from "../../core/sdk";
import { parentOf, tokenAttributes, type Span } from "../../core/span";
import { capturing, cost } from "../common/llm-span";
import { uploads } from "../common/uploads";
import { inputContent, outputMessages } from "./content";
import { tap, type StreamEnd } from "./stream";
import { startSpan } from "./wrap-tools";
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  LanguageModelMiddleware,
  Part,
  ResponseMetadata,
  StreamResult,
  TracingOptions,
} from "./types";
import { normalizeFinishReason, normalizeUsage } from "./usage";

// shared with the provider client wrappers
export { capturing, cost };

/** AI SDK call settings → `gen_ai.request.*` attribute names (made once, not per call) */
export const REQUEST: Record<string, string> = {};
for (const k of ["temperature", "maxOutputTokens", "topP", "topK", "frequencyPenalty", "presencePenalty", "stopSequences", "seed"])
  REQUEST[k] = "gen_ai.request." + (k == "maxOutputTokens" ? "max_tokens" : k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()));

// AI SDK provider ids ("openai.chat", "google.vertex.chat") → semconv well-known names; others keep their first segment
const PROVIDERS: Record<string, string> = {
  google: "gcp.gemini",
  vertex: "gcp.vertex_ai",
  "amazon-bedrock": "aws.bedrock",
  azure: "azure.ai.openai",
  mistral: "mistral_ai",
  xai: "x_ai",
};

/** AI SDK provider id → semconv `gen_ai.provider.name` */
export const providerName = (id: string): string => {
  const [a, b] = id.split(".") as [string, string?];
  return PROVIDERS[a === "google" && b === "vertex" ? b : a] ?? a;
};

// parts that carry generated content (not stream-start / response-metadata)
const FIRST_CONTENT = /^(text-delta|reasoning-delta|tool-input-start|tool-input-delta|tool-call)$/;

function start(model: LanguageModel, params: CallOptions, stream: boolean, o: TracingOptions): Span {
  const id = model.modelId;
  const span = startSpan(o.session, o.name ?? "chat " + id, { type: "llm", parent: parentOf(o.parent) });
  if (span.isRecording()) {
    try {
      const provider = model.provider;
      span
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("fallom.provider.raw", provider)
        .setAttribute("gen_ai.request.model", id)
        .setAttribute("gen_ai.request.stream", stream)
        .setAttribute("gen_ai.output.type", params.responseFormat?.type);
      for (const k in REQUEST) span.setAttribute(REQUEST[k]!, params[k]);
      // derived names and content are computed at export, off the request path (ai builds a fresh prompt per call);
      // without content capture the call options are not kept until then
      const input = capturing() && params;
      const content = uploads(span, () => (input ? inputContent(input) : {}));
      span.later(() => ({
        "gen_ai.provider.name": typeof provider === "string" ? providerName(provider) : undefined,
        ...content(),
      }));
    } catch {}
  }
  return span;
}

// response, usage, cost and output content of a finished call; computed at export from the parts of the result it
// reads (not the whole result: a provider's raw request and response bodies are not kept until then)
function record(span: Span, model: LanguageModel, r: GenerateResult): void {
  // a tool-call step is followed by the next step's call once the tools ran: the flush covering the session waits for it
  const owner = span.owner;
  if (owner && normalizeFinishReason(r.finishReason) === "tool_call") expectSpan(owner, 5000);
  const { usage, finishReason, content } = r;
  const responseId = r.response?.id;
  const responseModel = r.response?.modelId;
  span.later(() => {
    const reason = normalizeFinishReason(finishReason);
    const toolNames = content?.filter((p) => p.type === "tool-call").map((p) => p.toolName as string) ?? [];
    const tokens = normalizeUsage(usage);
    return {
      "gen_ai.response.id": responseId,
      "gen_ai.response.model": responseModel,
      "gen_ai.response.finish_reasons": reason && [reason],
      "fallom.response.tool_calls": toolNames.length ? toolNames : undefined,
      ...tokenAttributes(tokens),
      ...cost(tokens, responseModel, model.modelId),
      "gen_ai.output.messages": capturing() ? outputMessages(content, reason) : undefined,
    };
  });
}

// provider errors are recorded and rethrown unchanged; no AsyncLocalStorage.run here: on Node < 24 the first run()
// turns on promise hooks for the whole process (~100 µs per generateText), and the parent is explicit anyway
async function call<R>(span: Span, run: () => PromiseLike<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    span.setError(error);
    span.end();
    throw error;
  }
}

/** Runs one doGenerate call inside an llm span. */
export async function traceGenerate(
  model: LanguageModel,
  params: CallOptions,
  run: () => PromiseLike<GenerateResult>,
  options: TracingOptions,
): Promise<GenerateResult> {
  const span = start(model, params, false, options);
  const result = await call(span, run);
  if (span.isRecording()) {
    try {
      record(span, model, result);
    } catch {}
    span.end();
  }
  return result;
}

/** Runs one doStream call inside an llm span that ends with the stream (finish, error, cancel or flush deadline). */
export async function traceStream(
  model: LanguageModel,
  params: CallOptions,
  run: () => PromiseLike<StreamResult>,
  options: TracingOptions,
): Promise<StreamResult> {
  const span = start(model, params, true, options);
  const result = await call(span, run);
  if (!span.isRecording()) return result;
  try {
    return { ...result, stream: observe(span, model, result.stream) };
  } catch {
    span.end();
    return result;
  }
}

function observe(span: Span, model: LanguageModel, source: ReadableStream<Part>): ReadableStream<Part> {
  const capture = capturing();
  // tool calls are kept even without content capture: their names are not content
  const content: Part[] = [];
  let response: ResponseMetadata | undefined;
  let waiting = true;
  let release: () => void;
  const ended = new Promise<void>((resolve) => (release = resolve));
  const close = (): void => {
    span.end();
    release();
  };
  // consecutive deltas of one text / reasoning block become one content part
  const append = (type: string, p: Part): void => {
    const last = content[content.length - 1];
    if (last?.type === type && last.id === p.id) last.text += p.delta;
    else content.push({ type, id: p.id, text: p.delta });
  };
  const onPart = (p: Part): void => {
    const type = p.type;
    // an empty delta (OpenAI's role-only first chunk) is not content yet
    if (waiting && p.delta !== "" && FIRST_CONTENT.test(type)) {
      waiting = false;
      span.setAttribute("gen_ai.response.time_to_first_chunk", (nowMs() - span.startTime) / 1000);
    }
    switch (type) {
      case "text-delta":
      case "reasoning-delta":
        if (capture && p.delta) append(type.slice(0, -6), p);
        break;
      case "file":
        // generated files are content: not kept in memory unless they will be recorded
        if (capture) content.push(p);
        break;
      case "tool-call":
        content.push(p);
        break;
      case "response-metadata":
        response = p;
        break;
      case "error":
        span.setError(p.error);
        break;
      case "finish":
        try {
          record(span, model, { usage: p.usage, finishReason: p.finishReason, response, content });
        } finally {
          close();
        }
    }
  };
  // the caller stopped reading (cancelled) or never finished (unconsumed at the flush deadline): usage stays absent
  const abandon = (why: string): void => {
    span.setAttribute("fallom.stream." + why, true);
    span.setStatus("error", why);
    close();
  };
  const onEnd = (how: StreamEnd, reason?: unknown): void => {
    if (how === "cancel") return abandon("cancelled");
    if (how === "error") span.setError(reason);
    close();
  };
  const stream = tap(source, onPart, onEnd);
  // a stream not read to the end is ended by flush() at its deadline
  trackFor(span.owner, ended, () => abandon("unconsumed"));
  return stream;
}

/** AI SDK language-model middleware (ai 5, 6 and 7): one llm span per doGenerate / doStream call. */
export function fallomMiddleware(options?: TracingOptions): LanguageModelMiddleware {
  const o = options ?? {};
  // made per request, right before the call it traces: a flush() called before the stream starts still covers it
  if (o.session) expectSpan(o.session, 1000);
  return {
    specificationVersion: "v3",
    wrapGenerate: ({ doGenerate, params, model }) => traceGenerate(model, params, doGenerate, o),
    wrapStream: ({ doStream, params, model }) => traceStream(model, params, doStream, o),
  };
}
