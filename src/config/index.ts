export { models, type ModelOptions } from "./models";
export { prompts, type PromptOptions } from "./prompts";
export type { CacheStore, ModelConfig, PromptABTest, PromptRecord, PromptResult, Targeting } from "./types";
