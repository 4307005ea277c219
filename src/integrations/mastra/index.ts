export { wrapMastraAgent } from "./wrap-mastra";
