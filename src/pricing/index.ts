export { PRICES, PRICES_DATE, type ModelPrice } from "./prices";
export { normalizeModelId, routeModelId } from "./normalize-model-id";
export {
  computeCost,
  costAttributes,
  lookupPrice,
  type CostBreakdown,
  type PriceMatch,
  type PriceOverrides,
  type TokenUsage,
} from "./cost";
