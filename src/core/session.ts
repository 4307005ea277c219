import { toAttributeValue } from "./attributes";
import { isSecretKey, REDACTED } from "./redact";
import { runSpan, Span, type SpanOwner } from "./span";
import { state } from "./state";
import type { Attributes, SessionContext, SessionOptions, SpanOptions } from "./types";

function sessionAttributes(o: SessionOptions): Attributes {
  const a: Record<string, unknown> = {};
  if (o.sessionId !== undefined) a["session.id"] = a["gen_ai.conversation.id"] = String(o.sessionId);
  if (o.customerId !== undefined) a["user.id"] = String(o.customerId);
  if (o.configKey !== undefined) a["fallom.config_key"] = String(o.configKey);
  if (Array.isArray(o.tags)) a["fallom.tags"] = o.tags.map(String);
  const m = o.metadata;
  if (m && typeof m === "object") for (const k in m) a["fallom.metadata." + k] = isSecretKey(k) ? REDACTED : m[k];
  return convert(a);
}

function convert(input: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  const max = state.tracer?.options.maxAttributeLength ?? 32768;
  for (const k in input) {
    const v = toAttributeValue(input[k], max);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * A user's session (conversation): every span it creates carries `session.id`, `user.id`,
 * `fallom.config_key`, tags and metadata. Sessions never share state with each other.
 */
export class Session implements SpanOwner {
  attributes: Attributes;
  readonly open = new Set<Span>();
  private readonly context: SessionContext;

  constructor(options: SessionOptions = {}) {
    const o = options && typeof options === "object" ? options : {};
    this.context = {
      configKey: o.configKey,
      sessionId: o.sessionId,
      customerId: o.customerId,
      metadata: o.metadata,
      tags: o.tags,
    };
    try {
      this.attributes = sessionAttributes(o);
    } catch {
      this.attributes = {};
    }
  }

  /** The options this session was created with */
  getContext(): SessionContext {
    return { ...this.context };
  }

  /** Adds attributes to every span this session starts from now on (prompt / model-config linkage). */
  setAttributes(attributes: Record<string, unknown>): void {
    try {
      this.attributes = { ...this.attributes, ...convert(attributes) };
    } catch {}
  }

  /** A span handle (a new trace unless a parent is given or active); end it yourself. */
  startSpan(name: string, options?: SpanOptions): Span {
    return new Span(name, options, this);
  }

  /** Runs `fn` in a span that ends when `fn` settles; errors are recorded and rethrown. */
  trace<R>(name: string, fn: (span: Span) => R, options?: SpanOptions): R {
    if (typeof fn !== "function") {
      console.warn("[fallom] session.trace(name, fn) needs a callback; use session.startSpan(name) for a handle");
      return undefined as R;
    }
    return runSpan(this.startSpan(name, options), fn);
  }

  /** Spans of this session that were started and not yet ended */
  openSpans(): Span[] {
    return [...this.open];
  }

  /** Custom business metrics as a `metric` span: each key becomes `fallom.metric.<key>`. */
  recordMetrics(data: Record<string, unknown>, options?: SpanOptions): Span {
    const span = this.startSpan("fallom.metrics", { ...options, type: "metric" });
    try {
      for (const k in data) span.setAttribute("fallom.metric." + k, data[k]);
    } catch {}
    span.end();
    return span;
  }
}
