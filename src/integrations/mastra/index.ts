export { wrapMastraAgent } from "./wrap-mastra";
export { fallomMastraExporter, type FallomMastraExporter } from "./exporter";
