import type { ResolvedOptions } from "./options";
import type { Span, SpanOwner } from "./span";

/** What spans need from the initialised SDK; absent before init() and in disabled mode. */
export interface Tracer {
  options: ResolvedOptions;
  /** called once per started, sampled span (the flush covering its session then waits for it) */
  onStart(span: Span): void;
  /** called once per ended, sampled span */
  onEnd(span: Span): void;
  /** counts spans dropped by head sampling */
  onSampledOut(): void;
  /** `owner` is about to start a span within `ms` (a new session, a traced model touched, a tool step finished) */
  expect(owner: SpanOwner, ms: number): void;
}

export const state: { tracer?: Tracer; initialised?: boolean } = {};
