export { wrapOpenAI, type OpenAIWrapOptions } from "./wrap-openai";
export { providerUsage } from "../common/usage";
