import { CONTENT_KEYS, toAttributes, toAttributeValue } from "./attributes";
import { nowMs } from "./clock";
import { activeStore, runInContext } from "./context";
import { newSpanId, newTraceId } from "./ids";
import { isSecretKey, REDACTED } from "./redact";
import { isWorkers } from "./runtime";
import { state, type Tracer } from "./state";
import {
  KIND_CLIENT,
  KIND_INTERNAL,
  STATUS_ERROR,
  STATUS_OK,
  type Attributes,
  type EvaluationRecord,
  type ParentOption,
  type SpanLike,
  type SpanOptions,
  type SpanType,
  type TokenCounts,
} from "./types";

export interface SpanEvent {
  name: string;
  time: number;
  attributes?: Attributes;
}

/** Owner of a span's shared attributes and open-span list (a session). */
export interface SpanOwner {
  attributes: Attributes;
  /** open spans, each at its own `slot` (removed by swapping in the last one: no hashing per span) */
  open: Span[];
  /** default parent of the spans it starts */
  parent?: ParentOption;
  /** @internal what the exporter knows of this owner: the flush cover it counts in, until when a span is expected */
  cover?: unknown;
  expect?: number;
}

/** The span a parent option stands for: the span itself, or what its function returns (a throwing one: none). */
export const parentOf = (parent: ParentOption | undefined): SpanLike | undefined => {
  try {
    return typeof parent == "function" ? parent() : parent;
  } catch {}
};

// semconv gen_ai.operation.name of the GenAI span types (integrations may set a more precise one)
const OPERATIONS: Partial<Record<SpanType, string>> = { llm: "chat", tool: "execute_tool", agent: "invoke_agent", retrieval: "retrieval" };

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** `gen_ai.usage.*` of token counts; absent counts stay undefined */
export const tokenAttributes = (t: TokenCounts): Record<string, unknown> =>
  t && typeof t == "object"
    ? {
        "gen_ai.usage.input_tokens": t.input,
        "gen_ai.usage.output_tokens": t.output,
        "gen_ai.usage.cache_read.input_tokens": t.cacheRead,
        "gen_ai.usage.cache_creation.input_tokens": t.cacheWrite,
        "gen_ai.usage.reasoning.output_tokens": t.reasoning,
      }
    : {};

/** `prefix + key` for each key of a user record (metadata, metrics): these are the user's own names, so secret-looking ones are redacted */
export function prefixed(record: unknown, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  try {
    if (record && typeof record == "object") for (const k in record) out[prefix + k] = isSecretKey(k) ? REDACTED : (record as Record<string, unknown>)[k];
  } catch {}
  return out;
}

/** Attribute values computed at export time (never on the request path); see `Span.later`. */
export type Later = () => Record<string, unknown> | undefined;

/**
 * One timed unit of work. Setters never throw; after end() they are ignored.
 * Create spans with `session.startSpan()` / `session.trace()` or `span.startSpan()` / `span.span()`.
 */
export class Span implements SpanLike {
  readonly parentSpanId?: string;
  readonly sampled: boolean;
  readonly type: SpanType;
  name: string;
  kind: number;
  startTime: number;
  endTime = 0;
  /**
   * @internal recorded attributes as `key, value` pairs in call order (the last one wins), or `later, 0`.
   * Values are kept raw: truncation, redaction and limits are applied when the span is exported, off the request path.
   */
  attrs: unknown[];
  /** shared, copy-on-write attributes of the owning session at start */
  shared?: Attributes;
  status = 0;
  statusMessage?: string;
  events?: SpanEvent[];
  /** attributes dropped over maxAttributes while recording (the rest are counted at export) */
  dropped?: number;
  /** @internal */
  owner?: SpanOwner;
  /** @internal index in owner.open while open */
  slot = -1;
  /** @internal */
  tracer?: Tracer;
  /** @internal the flush cover this span counts in while open */
  cover?: unknown;
  // ids are made on first read (most spans: at export), so creating a span costs no randomness
  private t?: string;
  private s?: string;

  constructor(name: string, options: SpanOptions = {}, owner?: SpanOwner) {
    const tracer = state.tracer;
    // explicit parent, then the active span (AsyncLocalStorage), then the owner's default parent
    const parent: SpanLike | undefined = options.parent ?? activeStore<Span>() ?? parentOf(owner?.parent);
    const tp = options.traceparent;
    const remote = !parent && typeof tp == "string" ? TRACEPARENT.exec(tp) : null;
    let rate: number;
    const type = (this.type = options.type ?? "custom");
    this.attrs = ["fallom.span.type", type];
    if (OPERATIONS[type]) this.attrs.push("gen_ai.operation.name", OPERATIONS[type]);
    // an empty span name is invalid: the type names it instead
    this.name = String(name) || type;
    this.kind = options.kind ?? (type == "llm" ? KIND_CLIENT : KIND_INTERNAL);
    this.startTime = typeof options.startTime == "number" ? options.startTime : nowMs();
    if (parent) {
      this.t = parent.traceId;
      this.parentSpanId = parent.spanId;
    } else if (remote) {
      this.t = remote[1];
      this.parentSpanId = remote[2];
    }
    if (options.ids) {
      this.t = options.ids.traceId;
      this.s = options.ids.spanId;
    }
    // head sampling: a parent's decision, a remote flag, or the traceId's last 8 hex digits (uniform, same in every service)
    this.sampled =
      !!tracer &&
      (parent
        ? parent.sampled !== false
        : remote
          ? (parseInt(remote[3]!, 16) & 1) > 0
          : (rate = tracer.options.sampleRate) >= 1 || parseInt(this.traceId.slice(24), 16) / 4294967296 < rate);
    if (!this.sampled) {
      tracer?.onSampledOut();
      return;
    }
    this.tracer = tracer;
    this.owner = owner;
    this.shared = owner?.attributes;
    if (owner) this.slot = owner.open.push(this) - 1;
    tracer!.onStart(this);
    if (options.attributes) this.setAttributes(options.attributes);
    if (options.input !== undefined) this.setInput(options.input);
  }

  /** 32 lowercase hex chars */
  get traceId(): string {
    return (this.t ??= newTraceId());
  }

  /** 16 lowercase hex chars */
  get spanId(): string {
    return (this.s ??= newSpanId());
  }

  /** false once ended, or when the span is not sampled / the SDK is disabled */
  isRecording(): boolean {
    return !!this.tracer && !this.endTime;
  }

  setAttribute(key: string, value: unknown): this {
    const tracer = this.tracer;
    if (tracer && !this.endTime && value !== undefined) {
      try {
        const o = tracer.options;
        const t = typeof value;
        // primitives are kept as they are (immutable); objects are snapshotted now, as the caller may mutate them later
        if (o.captureContent || !CONTENT_KEYS.has(key))
          this.push(String(key), t == "string" || t == "number" || t == "boolean" ? value : toAttributeValue(value, Infinity));
      } catch {}
    }
    return this;
  }

  /** @internal attributes computed by `fn` when the span is exported (values read by then must not change) */
  later(fn: Later): this {
    if (this.tracer && !this.endTime) this.push(fn, 0);
    return this;
  }

  // a runaway caller (the same keys set in a loop) is folded down, so memory stays bounded
  private push(key: unknown, value: unknown): void {
    const max = this.tracer!.options.maxAttributes;
    if (this.attrs.push(key, value) > 16 * max) this.attrs = fold(this, max);
  }

  setAttributes(attributes: Record<string, unknown>): this {
    try {
      for (const k in attributes) this.setAttribute(k, attributes[k]);
    } catch {}
    return this;
  }

  setInput(input: unknown): this {
    return this.setAttribute("fallom.input", input);
  }

  setOutput(output: unknown): this {
    return this.setAttribute("fallom.output", output);
  }

  /** `gen_ai.request.model` (+ `gen_ai.provider.name`) */
  setModel(model: string, provider?: string): this {
    return this.setAttribute("gen_ai.request.model", model).setAttribute("gen_ai.provider.name", provider);
  }

  /** Token usage; leave a field out when the provider did not report it (absent, never 0). */
  setTokens(tokens: TokenCounts): this {
    return this.setAttributes(tokenAttributes(tokens));
  }

  /** Each key becomes `fallom.metadata.<key>` */
  setMetadata(metadata: Record<string, unknown>): this {
    return this.setAttributes(prefixed(metadata, "fallom.metadata."));
  }

  setStatus(code: "ok" | "error", message?: string): this {
    if (this.isRecording()) {
      this.status = code == "ok" ? STATUS_OK : STATUS_ERROR;
      this.statusMessage = typeof message == "string" ? message : undefined;
    }
    return this;
  }

  /** Marks the span failed: status ERROR + an `exception` event. */
  setError(error: unknown): this {
    let type = "Error";
    let message = "";
    let stack: unknown;
    try {
      const e = error as any;
      if (e && typeof e == "object") {
        if (typeof e.name == "string") type = e.name;
        if (typeof e.message == "string") message = e.message;
        stack = e.stack;
      } else message = typeof e == "string" ? e : String(e);
    } catch {
      message = "[unreadable error]";
    }
    return this.setStatus("error", message).setAttribute("error.type", type).addEvent("exception", {
      "exception.type": type,
      "exception.message": message,
      "exception.stacktrace": typeof stack == "string" ? stack : undefined,
    });
  }

  addEvent(name: string, attributes?: Record<string, unknown>): this {
    const events = this.isRecording() && (this.events ??= []);
    if (events && events.length < 128) {
      let attrs: Attributes | undefined;
      try {
        if (attributes) attrs = toAttributes(attributes, this.tracer!.options.maxAttributeLength);
      } catch {}
      events.push({ name: String(name), time: nowMs(), attributes: attrs });
    }
    return this;
  }

  /** Records an evaluation (score, label, explanation) as a child `evaluation` span, and as a `gen_ai.evaluation.result` event on this span while it is open. */
  evaluate(record: EvaluationRecord): Span {
    const r = (record ?? {}) as EvaluationRecord;
    const attributes = {
      "gen_ai.evaluation.name": r.name,
      "gen_ai.evaluation.score.value": r.score,
      "gen_ai.evaluation.score.label": r.label,
      "gen_ai.evaluation.explanation": r.explanation,
    };
    this.addEvent("gen_ai.evaluation.result", attributes);
    const span = this.startSpan("evaluation " + r.name, { type: "evaluation", attributes });
    span.end();
    return span;
  }

  /** A child span handle; end it yourself. */
  startSpan(name: string, options: SpanOptions = {}): Span {
    return new Span(name, { ...options, parent: options.parent ?? this }, this.owner);
  }

  /** Runs `fn` in a child span that ends when `fn` settles; errors are recorded and rethrown. */
  span<R>(name: string, fn: (span: Span) => R, options?: SpanOptions): R {
    return runSpan(this.startSpan(name, options), fn);
  }

  /** W3C traceparent for outgoing requests */
  traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-0${+this.sampled}`;
  }

  /** Ends the span; a second call is a no-op that returns false. */
  end(endTime?: number): boolean {
    if (this.endTime) return false;
    const end = typeof endTime == "number" && endTime >= this.startTime ? endTime : nowMs();
    // on Workers time stands still during pure CPU work: say so instead of claiming 0 ms
    if (end == this.startTime && isWorkers()) this.setAttribute("fallom.duration_unmeasurable", true);
    this.endTime = end || 1;
    const open = this.owner?.open;
    if (open && this.slot >= 0) {
      const last = open.pop()!;
      if (last != this) open[(last.slot = this.slot)] = last;
    }
    try {
      this.tracer?.onEnd(this);
    } catch {}
    return true;
  }
}

/** One pair per key (its last value) for the first `max` keys, then the `later` functions; the rest counted as dropped. */
function fold(span: Span, max: number): unknown[] {
  const a = span.attrs;
  const keys = new Map<unknown, unknown>();
  const later: unknown[] = [];
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i];
    if (typeof k == "function") later.push(k, 0);
    else if (keys.has(k) || keys.size < max) keys.set(k, a[i + 1]);
    else span.dropped = (span.dropped ?? 0) + 1;
  }
  const out: unknown[] = [];
  keys.forEach((v, k) => out.push(k, v));
  return out.concat(later);
}

/** Runs fn with `span` active; ends the span when fn settles. */
export function runSpan<R>(span: Span, fn: (span: Span) => R): R {
  const fail = (error: unknown): never => {
    span.setError(error).end();
    throw error;
  };
  let result: any;
  try {
    result = runInContext(span, () => fn(span));
  } catch (error) {
    fail(error);
  }
  if (typeof result?.then == "function") return result.then((value: unknown) => (span.end(), value), fail);
  span.end();
  return result;
}
