import { CONTENT_KEYS, toAttributeValue } from "./attributes";
import { nowMs } from "./clock";
import { activeStore, runInContext } from "./context";
import { newSpanId, newTraceId } from "./ids";
import { isWorkers } from "./runtime";
import { state, type Tracer } from "./state";
import {
  KIND_CLIENT,
  KIND_INTERNAL,
  STATUS_ERROR,
  STATUS_OK,
  type AttributeValue,
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

function sample(traceId: string, rate: number): boolean {
  // the traceId's last 8 hex digits are uniform random: deterministic per trace, across services too
  return rate >= 1 || parseInt(traceId.slice(24), 16) / 4294967296 < rate;
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
  attributes: Attributes = {};
  /** shared, copy-on-write attributes of the owning session at start */
  shared?: Attributes;
  status = 0;
  statusMessage?: string;
  events?: SpanEvent[];
  truncated?: string[];
  count = 0;
  droppedAttributes = 0;
  /** @internal */
  owner?: SpanOwner;
  /** @internal */
  tracer?: Tracer;

  constructor(name: string, options: SpanOptions = {}, owner?: SpanOwner) {
    const tracer = state.tracer;
    let parent: SpanLike | undefined = options.parent ?? activeStore<Span>();
    let remote: RegExpExecArray | null = null;
    if (!parent && typeof options.traceparent === "string") remote = TRACEPARENT.exec(options.traceparent);
    this.name = typeof name === "string" ? name : String(name);
    this.type = options.type ?? "custom";
    this.kind = options.kind ?? (this.type === "llm" ? KIND_CLIENT : KIND_INTERNAL);
    this.startTime = typeof options.startTime === "number" ? options.startTime : nowMs();
    this.spanId = newSpanId();
    if (parent) {
      this.traceId = parent.traceId;
      this.parentSpanId = parent.spanId;
      this.sampled = !!tracer && parent.sampled !== false;
    } else if (remote) {
      this.traceId = remote[1]!;
      this.parentSpanId = remote[2];
      this.sampled = !!tracer && (parseInt(remote[3]!, 16) & 1) === 1;
    } else {
      this.traceId = newTraceId();
      this.sampled = !!tracer && sample(this.traceId, tracer.options.sampleRate);
    }
    if (!this.sampled) {
      if (tracer) tracer.onSampledOut();
      return;
    }
    this.tracer = tracer;
    if (owner) {
      this.owner = owner;
      this.shared = owner.attributes;
      owner.open.add(this);
    }
    this.attributes["fallom.span.type"] = this.type;
    this.count = 1;
    if (options.attributes) this.setAttributes(options.attributes);
    if (options.input !== undefined) this.setInput(options.input);
  }

  /** false once ended, or when the span is not sampled / the SDK is disabled */
  isRecording(): boolean {
    return !!this.tracer && !this.endTime;
  }

  setAttribute(key: string, value: unknown): this {
    const tracer = this.tracer;
    if (!tracer || this.endTime) return this;
    try {
      if (!tracer.options.captureContent && CONTENT_KEYS.has(key)) return this;
      const v = toAttributeValue(value, tracer.options.maxAttributeLength, () => (this.truncated ??= []).push(key));
      if (v === undefined) return this;
      if (!(key in this.attributes)) {
        if (this.count >= tracer.options.maxAttributes) {
          this.droppedAttributes++;
          return this;
        }
        this.count++;
      }
      this.attributes[key] = v;
    } catch {}
    return this;
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
    this.setAttribute("gen_ai.request.model", model);
    return this.setAttribute("gen_ai.provider.name", provider);
  }

  /** Token usage; leave a field out when the provider did not report it (absent, never 0). */
  setTokens(tokens: TokenCounts): this {
    if (!tokens || typeof tokens !== "object") return this;
    this.setAttribute("gen_ai.usage.input_tokens", tokens.input);
    this.setAttribute("gen_ai.usage.output_tokens", tokens.output);
    this.setAttribute("gen_ai.usage.cache_read.input_tokens", tokens.cacheRead);
    this.setAttribute("gen_ai.usage.cache_creation.input_tokens", tokens.cacheWrite);
    return this.setAttribute("gen_ai.usage.reasoning.output_tokens", tokens.reasoning);
  }

  /** Each key becomes `fallom.metadata.<key>` */
  setMetadata(metadata: Record<string, unknown>): this {
    try {
      for (const k in metadata) this.setAttribute("fallom.metadata." + k, metadata[k]);
    } catch {}
    return this;
  }

  setStatus(code: "ok" | "error", message?: string): this {
    if (this.tracer && !this.endTime) {
      this.status = code === "ok" ? STATUS_OK : STATUS_ERROR;
      this.statusMessage = typeof message === "string" ? message : undefined;
    }
    return this;
  }

  /** Marks the span failed: status ERROR + an `exception` event. */
  setError(error: unknown): this {
    if (!this.tracer || this.endTime) return this;
    let type = "Error";
    let message: string;
    let stack: string | undefined;
    try {
      const e = error as any;
      if (e && typeof e === "object") {
        type = typeof e.name === "string" ? e.name : type;
        message = typeof e.message === "string" ? e.message : "";
        stack = typeof e.stack === "string" ? e.stack : undefined;
      } else message = typeof error === "string" ? error : String(error);
    } catch {
      message = "[unreadable error]";
    }
    this.setStatus("error", message);
    return this.addEvent("exception", {
      "exception.type": type,
      "exception.message": message,
      "exception.stacktrace": stack,
    });
  }

  addEvent(name: string, attributes?: Record<string, unknown>): this {
    if (!this.tracer || this.endTime) return this;
    const events = (this.events ??= []);
    if (events.length >= 128) return this;
    let attrs: Attributes | undefined;
    try {
      if (attributes) {
        attrs = {};
        for (const k in attributes) {
          const v = toAttributeValue(attributes[k], this.tracer.options.maxAttributeLength);
          if (v !== undefined) attrs[k] = v;
        }
      }
    } catch {}
    events.push({ name: String(name), time: nowMs(), attributes: attrs });
    return this;
  }

  /** Records an evaluation (score, label, explanation) as a child `evaluation` span. */
  evaluate(record: EvaluationRecord): Span {
    const r = (record ?? {}) as EvaluationRecord;
    const span = this.startSpan("evaluation " + r.name, { type: "evaluation" });
    span.setAttributes({
      "gen_ai.evaluation.name": r.name,
      "gen_ai.evaluation.score.value": r.score,
      "gen_ai.evaluation.score.label": r.label,
      "gen_ai.evaluation.explanation": r.explanation,
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
    return `00-${this.traceId}-${this.spanId}-${this.sampled ? "01" : "00"}`;
  }

  /** Ends the span; a second call is a no-op that returns false. */
  end(endTime?: number): boolean {
    if (this.endTime) return false;
    const end = typeof endTime === "number" && endTime >= this.startTime ? endTime : nowMs();
    // on Workers time stands still during pure CPU work: say so instead of claiming 0 ms
    if (end === this.startTime && this.tracer && isWorkers()) this.setAttribute("fallom.duration_unmeasurable", true);
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
  let result: R;
  try {
    result = runInContext(span, () => fn(span));
  } catch (error) {
    span.setError(error);
    span.end();
    throw error;
  }
  if (result && typeof (result as any).then === "function") {
    return (result as any).then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.setError(error);
        span.end();
        throw error;
      },
    );
  }
  span.end();
  return result;
}
