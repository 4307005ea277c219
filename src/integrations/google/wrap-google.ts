// session.wrapGoogleAI(model or client): Gemini calls traced as llm spans, for both SDKs:
// @google/genai (`client.models.generateContent[Stream]`, `client.chats.create(…).sendMessage[Stream]`) and
// @google/generative-ai (`model.generateContent[Stream]`, `model.startChat().sendMessage[Stream]`).
import type { Span } from "../../core/span";
import { llmCall, recordResult, type WrapOptions } from "../common/llm-span";
import { requestAttributes } from "../common/request";
import { streamSpan, tapIterator, tapStream, type StreamSpan } from "../common/stream-span";
import { wrapClient, type Traced } from "../common/wrap-client";
import { geminiInput, geminiOutput, toContents } from "./content";
import { providerUsage } from "../common/usage";

/** What one call sends, read from either SDK's arguments */
interface Call {
  model?: string;
  contents: any[];
  /** generation settings, system instruction and tools */
  config: any;
  provider: string;
}

const record = (span: Span, r: any, model: string | undefined): void =>
  recordResult(span, model, () => {
    const candidates: any[] | undefined = r?.candidates;
    return {
      id: r?.responseId,
      model: r?.modelVersion,
      finishReasons: candidates?.map((c) => c.finishReason),
      tools: (candidates?.[0]?.content?.parts ?? []).filter((p: any) => p?.functionCall).map((p: any) => p.functionCall.name),
      tokens: providerUsage(r?.usageMetadata),
      output: () => geminiOutput(candidates),
    };
  });

// chunks → one response (the first candidate): consecutive text parts joined; calls, usage, ids as they come
function gather() {
  const parts: any[] = [];
  const acc: any = { candidates: [{ content: { parts } }] };
  const onChunk = (c: any): boolean => {
    const cand = c?.candidates?.[0];
    acc.responseId ??= c?.responseId;
    acc.modelVersion ??= c?.modelVersion;
    acc.usageMetadata = c?.usageMetadata ?? acc.usageMetadata;
    acc.candidates[0].finishReason ??= cand?.finishReason;
    let content = false;
    for (const p of cand?.content?.parts ?? []) {
      content ||= !!(p.text || p.functionCall);
      const last = parts[parts.length - 1];
      if (p.text != null && last?.text != null && !last.thought == !p.thought) last.text += p.text;
      else parts.push({ ...p });
    }
    return content;
  };
  return { acc, onChunk };
}

// chunks of a stream: an async generator (@google/genai), or `{ stream, response }` (@google/generative-ai)
function observe(span: Span, r: any, model: string | undefined): any {
  const { acc, onChunk } = gather();
  const s = streamSpan(span, () => record(span, acc, model));
  if (!r?.stream || typeof r.response?.then != "function") return tapStream(r, s, (c: any) => s.chunk(onChunk(c)));
  // @google/generative-ai: `response` settles with the whole answer whether or not `stream` is read to the end
  r.response.then(
    (full: any) => {
      Object.assign(acc, full);
      s.end("done");
    },
    (error: unknown) => s.end("error", error),
  );
  const ttft: StreamSpan = { chunk: s.chunk, end() {} };
  return { ...r, stream: tapIterator(r.stream[Symbol.asyncIterator](), ttft, (c) => ttft.chunk(onChunk(c))) };
}

/** One traced call; `stream` says whether its result streams */
function traced(o: WrapOptions, call: Call, stream: boolean, run: () => any): any {
  const model = call.model?.replace(/^models\//, "");
  return llmCall(
    o,
    "chat",
    model,
    stream,
    () => ({ "gen_ai.provider.name": call.provider, ...requestAttributes(call.config) }),
    () => geminiInput(call.contents, call.config),
    run,
    // @google/generative-ai wraps the answer in `{ response }`
    (span, r) => record(span, r?.response ?? r, model),
    (span, r) => observe(span, r, model),
  );
}

// ---- @google/genai: client.models.generateContent({ model, contents, config }) ----
const genai =
  (stream: boolean): Traced<WrapOptions> =>
  (o, client, fn, self, args) => {
    const p = args[0] ?? {};
    const provider = client.vertexai ? "gcp.vertex_ai" : "gcp.gemini";
    return traced(o, { model: p.model, contents: toContents(p.contents).slice(), config: p.config, provider }, stream, () => fn.apply(self, args));
  };

// ---- @google/generative-ai: model.generateContent(request), model.startChat().sendMessage(request) ----
/** the request as the SDK builds it: a string, parts, or `{ contents, systemInstruction, tools, generationConfig }` */
function legacy(owner: any, request: any): Call {
  const own = owner.params ?? owner;
  const contents = toContents(request?.contents ?? (typeof request == "string" || Array.isArray(request) ? request : [request]));
  const config = { ...own.generationConfig, ...request?.generationConfig };
  config.systemInstruction = request?.systemInstruction ?? own.systemInstruction;
  config.tools = request?.tools ?? own.tools;
  // a chat session's history comes first (read now: the SDK appends to it after the call)
  const history = owner._history;
  return { model: owner.model, contents: Array.isArray(history) ? [...history, ...contents] : contents, config, provider: "gcp.gemini" };
}

/** a model's or a chat session's call */
const model =
  (stream: boolean): Traced<WrapOptions> =>
  (o, owner, fn, self, args) =>
    traced(o, legacy(owner, args[0]), stream, () => fn.apply(self, args));

const CHAT = { sendMessage: model(false), sendMessageStream: model(true) };

// a chat session calls the API itself, not through its model: its own view
const startChat: Traced<WrapOptions> = (o, _target, fn, self, args) => wrapClient(fn.apply(self, args), o, CHAT);

const GENAI = {
  "models.generateContent": genai(false),
  "models.generateContentStream": genai(true),
  // chats reach the models through `modelsModule`: the traced view's (see ALIASES)
  "chats.create": undefined,
};
const GENERATIVE_AI = { generateContent: model(false), generateContentStream: model(true), startChat };
const ALIASES = { modelsModule: "models" };

/**
 * The same Gemini model or client, traced: a `GenerativeModel` of @google/generative-ai, or a `GoogleGenAI` client of
 * @google/genai (its models and chats). One llm span per call, streams included; the object is not modified.
 */
export function wrapGoogleAI<T extends object>(modelOrClient: T, options?: WrapOptions): T {
  const genaiClient = typeof (modelOrClient as any)?.models == "object";
  return genaiClient
    ? wrapClient(modelOrClient, options ?? {}, GENAI, ALIASES)
    : wrapClient(modelOrClient, options ?? {}, GENERATIVE_AI);
}
