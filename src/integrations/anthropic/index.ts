export { wrapAnthropic } from "./wrap-anthropic";
export { providerUsage } from "../common/usage";
