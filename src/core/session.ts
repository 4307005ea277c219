import { toAttributes } from "./attributes";
import { warn } from "./sdk";
import { prefixed, runSpan, Span, type SpanOwner } from "./span";
import { state } from "./state";
import type { Attributes, ParentOption, SessionContext, SessionOptions, SpanOptions } from "./types";

/**
 * A user's session (conversation): every span it creates carries `session.id`, `user.id`,
 * `fallom.config_key`, tags and metadata. Sessions never share state with each other.
 */
export class Session implements SpanOwner {
  attributes: Attributes = {};
  readonly open: Span[] = [];
  /** default parent of this session's spans (a span or a function returning one) */
  parent?: ParentOption;
  private readonly context: SessionContext;

  constructor(options: SessionOptions = {}) {
    const o: any = options && typeof options == "object" ? options : {};
    const { configKey, sessionId, customerId, metadata, tags, parent } = o;
    this.context = { configKey, sessionId, customerId, metadata, tags };
    this.parent = parent;
    const a = prefixed(metadata, "fallom.metadata.");
    try {
      if (sessionId !== undefined) a["session.id"] = a["gen_ai.conversation.id"] = String(sessionId);
      if (customerId !== undefined) a["user.id"] = String(customerId);
      if (configKey !== undefined) a["fallom.config_key"] = String(configKey);
      if (Array.isArray(tags)) a["fallom.tags"] = tags.map(String);
    } catch {}
    this.setAttributes(a);
    // a new session is about to do traced work: a flush called before its first span still covers it
    state.tracer?.expect(this, 1000);
  }

  /** The options this session was created with */
  getContext(): SessionContext {
    return { ...this.context };
  }

  /** Adds attributes to every span this session starts from now on (prompt / model-config linkage). */
  setAttributes(attributes: Record<string, unknown>): void {
    try {
      this.attributes = { ...this.attributes, ...toAttributes(attributes, state.tracer?.options.maxAttributeLength ?? 32768) };
    } catch {}
  }

  /** A span handle (a new trace unless a parent is given, active or the session's default); end it yourself. */
  startSpan(name: string, options?: SpanOptions): Span {
    return new Span(name, options, this);
  }

  /** Runs `fn` in a span that ends when `fn` settles; errors are recorded and rethrown. */
  trace<R>(name: string, fn: (span: Span) => R, options?: SpanOptions): R {
    if (typeof fn == "function") return runSpan(this.startSpan(name, options), fn);
    warn("session.trace(name, fn) needs a function (startSpan(name) gives a handle)");
    return undefined as R;
  }

  /** Spans of this session that were started and not yet ended */
  openSpans(): Span[] {
    return [...this.open];
  }

  /** Custom business metrics as a `metric` span: each key becomes `fallom.metric.<key>`. */
  recordMetrics(data: Record<string, unknown>, options?: SpanOptions): Span {
    const span = this.startSpan("fallom.metrics", { ...options, type: "metric" }).setAttributes(prefixed(data, "fallom.metric."));
    span.end();
    return span;
  }
}
