export { fallomMiddleware } from "./middleware";
export { traceModel } from "./trace-model";
export { normalizeUsage, normalizeFinishReason } from "./usage";
export type { LanguageModelMiddleware, TracingOptions, Usage, FinishReason } from "./types";
