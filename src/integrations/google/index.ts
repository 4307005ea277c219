export { wrapGoogleAI } from "./wrap-google";
export { geminiUsage } from "./usage";
