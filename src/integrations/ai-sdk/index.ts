export { fallomMiddleware } from "./middleware";
export { traceModel } from "./trace-model";
export { normalizeUsage, normalizeFinishReason } from "./usage";
export type { LanguageModelMiddleware, TracingOptions, Usage, FinishReason } from "./types";
export { wrapAISDK, type WrappedAISDKName } from "./wrap-ai-sdk";
export { wrapTools } from "./wrap-tools";
export { fallomTelemetry, type FallomTelemetry } from "./telemetry";
