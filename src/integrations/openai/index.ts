export { wrapOpenAI, type OpenAIWrapOptions } from "./wrap-openai";
export { openaiUsage } from "./usage";
