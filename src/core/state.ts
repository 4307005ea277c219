import type { ResolvedOptions } from "./options";
import type { Span } from "./span";

/** What spans need from the initialised SDK; absent before init() and in disabled mode. */
export interface Tracer {
  options: ResolvedOptions;
  /** called once per ended, sampled span */
  onEnd(span: Span): void;
  /** counts spans dropped by head sampling */
  onSampledOut(): void;
}

export const state: { tracer?: Tracer; initialised?: boolean } = {};
