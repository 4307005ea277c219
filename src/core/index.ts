export { core as default, trace } from "./api";
export { init, flush, stats, track, VERSION } from "./sdk";
export { Session } from "./session";
export { Span } from "./span";
export type { InitOptions, ResolvedOptions } from "./options";
/** @internal used by the package's other entries, which load the core from this file */
export { core } from "./api";
/** @internal */
export { getOptions, expectSpan, trackFor } from "./sdk";
/** @internal */
export { nowMs } from "./clock";
/** @internal */
export { runInContext } from "./context";
/** @internal */
export { tokenAttributes } from "./span";
export type {
  AttributeValue,
  Attributes,
  DropReason,
  EvaluationRecord,
  FlushResult,
  SessionContext,
  SessionOptions,
  SpanLike,
  SpanOptions,
  SpanType,
  Stats,
  TokenCounts,
} from "./types";
