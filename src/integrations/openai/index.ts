export { wrapOpenAI, type OpenAIWrapOptions } from "./wrap-openai";
export { providerUsage } from "../shared/usage";
