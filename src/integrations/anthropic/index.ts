export { wrapAnthropic } from "./wrap-anthropic";
export { providerUsage } from "../shared/usage";
