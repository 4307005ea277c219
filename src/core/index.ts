export { core as default, session, trace } from "./api";
export { init, flush, stats, track, VERSION } from "./sdk";
export { Session } from "./session";
export { Span } from "./span";
export type { ExportProfile, InitOptions, ResolvedOptions } from "./options";
export type {
  AttributeValue,
  Attributes,
  DropReason,
  EvaluationRecord,
  FlushResult,
  ParentOption,
  SessionContext,
  SessionOptions,
  SpanLike,
  SpanOptions,
  SpanType,
  Stats,
  TokenCounts,
} from "./types";
