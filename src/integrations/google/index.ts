export { wrapGoogleAI } from "./wrap-google";
export { providerUsage } from "../common/usage";
