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
  open: Set<Span>;
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** Sets `prefix + key` for each key of `record`; never throws. */
export function putAll(span: Span, record: Record<string, unknown>, prefix = ""): Span {
  try {
    // prefixed keys (metadata, metrics) are the user's own names: secret-looking ones are redacted
    for (const k in record) span.setAttribute(prefix + k, prefix && isSecretKey(k) ? REDACTED : record[k]);
  } catch {}
  return span;
}

/**
 * One timed unit of work. Setters never throw; after end() they are ignored.
 * Create spans with `session.startSpan()` / `session.trace()` or `span.startSpan()` / `span.span()`.
 */
export class Span implements SpanLike {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly sampled: boolean;
  readonly type: SpanType;
  name: string;
  kind: number;
  startTime: number;
  endTime = 0;
  attributes: Attributes;
  /** shared, copy-on-write attributes of the owning session at start */
  shared?: Attributes;
  status = 0;
  statusMessage?: string;
  events?: SpanEvent[];
  truncated?: string[];
  /** attributes recorded so far (fallom.span.type included), capped at maxAttributes */
  count = 1;
  droppedAttributes = 0;
  /** @internal */
  owner?: SpanOwner;
  /** @internal */
  tracer?: Tracer;

  constructor(name: string, options: SpanOptions = {}, owner?: SpanOwner) {
    const tracer = state.tracer;
    const parent: SpanLike | undefined = options.parent ?? activeStore<Span>();
    const tp = options.traceparent;
    const remote = !parent && typeof tp == "string" ? TRACEPARENT.exec(tp) : null;
    let rate: number;
    const type = (this.type = options.type ?? "custom");
    this.attributes = { "fallom.span.type": type };
    this.name = String(name);
    this.kind = options.kind ?? (type == "llm" ? KIND_CLIENT : KIND_INTERNAL);
    this.startTime = typeof options.startTime == "number" ? options.startTime : nowMs();
    this.spanId = newSpanId();
    this.traceId = parent ? parent.traceId : remote ? remote[1]! : newTraceId();
    // roots carry no parentSpanId property at all (one field less per span)
    const parentSpanId = parent ? parent.spanId : remote?.[2];
    if (parentSpanId) this.parentSpanId = parentSpanId;
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
    owner?.open.add(this);
    if (options.attributes) this.setAttributes(options.attributes);
    if (options.input !== undefined) this.setInput(options.input);
  }

  /** false once ended, or when the span is not sampled / the SDK is disabled */
  isRecording(): boolean {
    return !!this.tracer && !this.endTime;
  }

  setAttribute(key: string, value: unknown): this {
    const tracer = this.tracer;
    if (tracer && !this.endTime) {
      try {
        const o = tracer.options;
        const t = typeof value;
        // fast path for what spans mostly carry: numbers, booleans, short strings
        const v =
          !o.captureContent && CONTENT_KEYS.has(key)
            ? undefined
            : (t == "number" && Number.isFinite(value)) ||
                t == "boolean" ||
                (t == "string" && (value as string).length <= o.maxAttributeLength && !(value as string).includes("="))
              ? (value as number)
              : toAttributeValue(value, o.maxAttributeLength, () => (this.truncated ??= []).push(key));
        if (v !== undefined) {
          if (key in this.attributes || (this.count < o.maxAttributes && ++this.count)) this.attributes[key] = v;
          else this.droppedAttributes++;
        }
      } catch {}
    }
    return this;
  }

  setAttributes(attributes: Record<string, unknown>): this {
    return putAll(this, attributes) as this;
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
    return tokens && typeof tokens == "object"
      ? this.setAttribute("gen_ai.usage.input_tokens", tokens.input)
          .setAttribute("gen_ai.usage.output_tokens", tokens.output)
          .setAttribute("gen_ai.usage.cache_read.input_tokens", tokens.cacheRead)
          .setAttribute("gen_ai.usage.cache_creation.input_tokens", tokens.cacheWrite)
          .setAttribute("gen_ai.usage.reasoning.output_tokens", tokens.reasoning)
      : this;
  }

  /** Each key becomes `fallom.metadata.<key>` */
  setMetadata(metadata: Record<string, unknown>): this {
    return putAll(this, metadata, "fallom.metadata.") as this;
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
    return this.setStatus("error", message).addEvent("exception", {
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

  /** Records an evaluation (score, label, explanation) as a child `evaluation` span. */
  evaluate(record: EvaluationRecord): Span {
    const r = (record ?? {}) as EvaluationRecord;
    const span = this.startSpan("evaluation " + r.name, {
      type: "evaluation",
      attributes: {
        "gen_ai.evaluation.name": r.name,
        "gen_ai.evaluation.score.value": r.score,
        "gen_ai.evaluation.score.label": r.label,
        "gen_ai.evaluation.explanation": r.explanation,
      },
    });
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
    this.owner?.open.delete(this);
    try {
      this.tracer?.onEnd(this);
    } catch {}
    return true;
  }
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
