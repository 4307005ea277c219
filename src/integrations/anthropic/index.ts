export { wrapAnthropic } from "./wrap-anthropic";
export { anthropicUsage } from "./usage";
