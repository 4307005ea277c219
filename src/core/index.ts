export { core as default, trace } from "./api";
export { init, flush, stats, track, VERSION } from "./sdk";
export { Session } from "./session";
export { Span } from "./span";
export type { InitOptions } from "./options";
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
