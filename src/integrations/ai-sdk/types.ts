// Structural types for AI SDK language models, spec v2 (ai 5), v3 (ai 6) and v4 (ai 7).
// Owned here so the SDK imports nothing from `ai` / `@ai-sdk/*`, not even types.
import type { Session } from "../../core/session";
import type { ParentOption } from "../../core/types";

/** V2: flat counts */
export interface UsageV2 {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  reasoningTokens?: number;
  cachedInputTokens?: number;
}

/** V3 / V4: nested counts */
export interface UsageV3 {
  inputTokens: { total?: number; noCache?: number; cacheRead?: number; cacheWrite?: number };
  outputTokens: { total?: number; text?: number; reasoning?: number };
  raw?: unknown;
}

export type Usage = UsageV2 | UsageV3;

/** V2: a string; V3 / V4: `{ unified, raw }` */
export type FinishReason = string | { unified: string; raw?: string };

/** A prompt, content or stream part; only `type` is common to all */
export interface Part {
  type: string;
  [key: string]: any;
}

export interface Message {
  role: "system" | "user" | "assistant" | "tool";
  content: string | Part[];
}

export interface Tool {
  type: string;
  name: string;
  description?: string;
  inputSchema?: unknown;
  /** V2 */
  parameters?: unknown;
}

export interface CallOptions {
  prompt?: Message[];
  maxOutputTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  topP?: number;
  topK?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseFormat?: { type: "text" | "json" };
  tools?: Tool[];
  abortSignal?: AbortSignal;
  [key: string]: unknown;
}

export interface ResponseMetadata {
  id?: string;
  modelId?: string;
  [key: string]: unknown;
}

export interface GenerateResult {
  content?: Part[];
  finishReason?: FinishReason;
  usage?: Usage;
  response?: ResponseMetadata;
  [key: string]: unknown;
}

export interface StreamResult {
  stream: ReadableStream<Part>;
  [key: string]: unknown;
}

/** The language model surface the SDK touches */
export interface LanguageModel {
  readonly specificationVersion?: string;
  readonly provider?: string;
  readonly modelId?: string;
  doGenerate(options: CallOptions): PromiseLike<GenerateResult>;
  doStream(options: CallOptions): PromiseLike<StreamResult>;
}

type Wrap = (options: {
  doGenerate: () => PromiseLike<any>;
  doStream: () => PromiseLike<any>;
  params: any;
  model: any;
}) => Promise<any>;

/**
 * Accepted by `wrapLanguageModel` of ai 5, 6 and 7: ai 6 requires the literal 'v3', ai 7 accepts any
 * string, ai 5 ignores it; Promise (not PromiseLike) returns because ai 5 requires them.
 */
export interface LanguageModelMiddleware {
  readonly specificationVersion: "v3";
  readonly middlewareVersion?: "v2";
  wrapGenerate: Wrap;
  wrapStream: Wrap;
}

export interface TracingOptions {
  /** Session whose attributes (session.id, user.id, prompt / config linkage) every span carries */
  session?: Session;
  /** Parent of each llm span: a span, or a function read per call (nesting without AsyncLocalStorage) */
  parent?: ParentOption;
  /** Span name; defaults to `chat {modelId}` */
  name?: string;
}
