import { flush, init, stats } from "./sdk";
import { Session } from "./session";
import type { SessionOptions, SpanOptions } from "./types";
import type { Span } from "./span";

/** Custom business metrics, Fallom style: `trace.span({ outlier_score: 0.8 }, { configKey, sessionId })`. */
export const trace = {
  span: (data: Record<string, unknown>, options: SessionOptions & SpanOptions = {}): Span =>
    new Session(options).recordMetrics(data, options),
};

/** A user's session (conversation): its spans carry session.id, user.id, config key, tags and metadata. */
export const session = (options?: SessionOptions): Session => new Session(options);

/** The core SDK object (no integrations): init, session, flush, stats, trace. */
export const core = {
  init,
  flush,
  stats,
  trace,
  session,
};
