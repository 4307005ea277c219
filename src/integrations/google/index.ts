export { wrapGoogleAI } from "./wrap-google";
export { providerUsage } from "../shared/usage";
