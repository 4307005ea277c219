export type SpanType = "llm" | "retrieval" | "tool" | "agent" | "custom" | "evaluation" | "metric" | "http";
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];
export type Attributes = Record<string, AttributeValue>;

/** OTLP SpanKind */
export const KIND_INTERNAL = 1;
export const KIND_SERVER = 2;
export const KIND_CLIENT = 3;

/** OTLP Status codes */
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

export interface SessionOptions {
  /** Fallom config key this session's calls belong to (A/B model configs) */
  configKey?: string;
  /** Your session / conversation id; becomes `session.id` and `gen_ai.conversation.id` */
  sessionId?: string;
  /** Your end user's id; becomes `user.id` */
  customerId?: string;
  /** Flat key/values; each becomes `fallom.metadata.<key>` */
  metadata?: Record<string, unknown>;
  /** Becomes `fallom.tags` */
  tags?: string[];
  /**
   * Default parent of the spans this session starts when none is given and none is active (AsyncLocalStorage):
   * a span, or a function read at each span start. Nests work under a request span without AsyncLocalStorage.
   */
  parent?: ParentOption;
}

/** A parent span, or a function returning one (read when each span starts) */
export type ParentOption = SpanLike | (() => SpanLike | undefined);

export interface SessionContext {
  configKey?: string;
  sessionId?: string;
  customerId?: string;
  metadata?: Record<string, unknown>;
  tags?: string[];
}

export interface TokenCounts {
  /** total input tokens, cached ones included */
  input?: number;
  /** total output tokens, reasoning included */
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export interface EvaluationRecord {
  name: string;
  score?: number;
  label?: string;
  explanation?: string;
}

export interface SpanOptions {
  /** Span type; defaults to "custom" */
  type?: SpanType;
  /** Explicit parent; otherwise the active span (AsyncLocalStorage) or a new trace */
  parent?: SpanLike;
  /** W3C traceparent header value to continue a remote trace */
  traceparent?: string;
  attributes?: Record<string, unknown>;
  input?: unknown;
  /** ms since epoch */
  startTime?: number;
  /** OTLP span kind; defaults to CLIENT for llm spans, INTERNAL otherwise */
  kind?: number;
  /** @internal ids given by another tracer whose spans are re-exported (Mastra's exporter): kept as they are */
  ids?: { traceId: string; spanId: string };
}

/** Anything that identifies a span: a Span or its ids */
export interface SpanLike {
  readonly traceId: string;
  readonly spanId: string;
  /** sampled flag of the trace */
  readonly sampled?: boolean;
}

export interface FlushResult {
  /** spans acknowledged by the collector during this flush */
  sent: number;
  /** spans dropped during this flush (see stats().dropped for reasons) */
  dropped: number;
  /** spans still queued or awaiting retry when flush returned */
  pending: number;
  /** true when the flush deadline cut the wait short */
  timedOut: boolean;
}

/** Why spans were dropped: each has a counter in `stats().dropped` */
export type DropReason = "queue_full" | "non_retryable" | "too_large" | "retry_exhausted" | "sampled_out";

export interface Stats {
  sent: number;
  retries: number;
  /** spans the collector rejected through OTLP partial_success */
  rejected: number;
  dropped: Record<DropReason, number>;
  /** attribute values replaced because the redact hook threw */
  redactErrors: number;
  /** spans waiting in the queue now */
  queued: number;
  /** spans in batches awaiting retry now */
  pending: number;
  /** export attempts (requests sent) */
  exports: number;
}
