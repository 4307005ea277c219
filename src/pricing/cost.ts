import { PRICES, type ModelPrice } from "./prices";
import { normalizeModelId, routeModelId } from "./normalize-model-id";

/**
 * OTel gen_ai.usage semantics: `input` is ALL input tokens including cache reads and writes;
 * `output` is ALL output tokens including reasoning. The detail fields are subsets.
 */
export interface TokenUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** USD. `input` = uncached + cacheRead + cacheWrite; `output` includes reasoning; total = input + output. */
export interface CostBreakdown {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  total: number;
}

export type PriceOverrides = Record<
  string,
  | ModelPrice
  | { input: number; output: number; cacheRead?: number; cacheWrite?: number; reasoning?: number }
>;

export interface PriceMatch {
  /** The table or override key that matched. */
  id: string;
  price: ModelPrice;
  /** True when the price came from overrides (then PRICES_DATE does not apply). */
  override: boolean;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
// Counts and rates must be finite and non-negative; anything else is "absent".
const num = (v: unknown) => (typeof v == "number" && v >= 0 && v < Infinity ? v : undefined);
const round = (v: number) => Math.round(v * 1e9) / 1e9;

function toPrice(v: unknown): ModelPrice | undefined {
  const a: unknown[] = Array.isArray(v)
    ? v
    : v && typeof v == "object"
      ? [(v as any).input, (v as any).output, (v as any).cacheRead, (v as any).cacheWrite, (v as any).reasoning]
      : [];
  const p = a.slice(0, 5).map(num);
  return p[0] === undefined || p[1] === undefined ? undefined : (p as unknown as ModelPrice);
}

/** Finds the price for a model: overrides first (exact, then normalised keys), then the table. Never throws. */
export function lookupPrice(model: string | undefined, overrides?: PriceOverrides): PriceMatch | undefined {
  try {
    if (typeof model != "string" || !model.trim()) return;
    const norm = normalizeModelId(model);
    const ids = [model, routeModelId(model), norm];
    if (overrides && typeof overrides == "object") {
      const keys = Object.keys(overrides);
      for (const k of [...ids.filter((i) => has(overrides, i)), ...keys.filter((k) => normalizeModelId(k) === norm)]) {
        const price = toPrice(overrides[k]);
        if (price) return { id: k, price, override: true };
      }
    }
    for (const id of ids) if (has(PRICES, id)) return { id, price: PRICES[id]!, override: false };
  } catch {
    // fall through: unpriced
  }
  return;
}

/**
 * Cost of one LLM call in USD, rounded to 1e-9. Undefined when the model is unknown (never a
 * fallback price) or when both input and output counts are absent. Never throws.
 */
export function computeCost(
  model: string | undefined,
  usage: TokenUsage,
  overrides?: PriceOverrides,
): CostBreakdown | undefined {
  try {
    const match = lookupPrice(model, overrides);
    const input = num(usage.input);
    const output = num(usage.output);
    if (!match || (input === undefined && output === undefined)) return;
    const [inRate, outRate, readRate = inRate, writeRate = inRate, reasoningRate = outRate] = match.price;
    const cacheRead = num(usage.cacheRead);
    const cacheWrite = num(usage.cacheWrite);
    const reasoning = num(usage.reasoning);
    const read = cacheRead ?? 0;
    const write = cacheWrite ?? 0;
    const out = output ?? 0;
    // Reasoning is part of output: never billed on top of it.
    const think = Math.min(reasoning ?? 0, out);
    const readUsd = (read * readRate) / 1e6;
    const writeUsd = (write * writeRate) / 1e6;
    const thinkUsd = (think * reasoningRate) / 1e6;
    const inUsd = round((Math.max(0, (input ?? 0) - read - write) * inRate) / 1e6 + readUsd + writeUsd);
    const outUsd = round(((out - think) * outRate) / 1e6 + thinkUsd);
    const cost: CostBreakdown = { input: inUsd, output: outUsd, total: round(inUsd + outUsd) };
    if (cacheRead !== undefined) cost.cacheRead = round(readUsd);
    if (cacheWrite !== undefined) cost.cacheWrite = round(writeUsd);
    if (reasoning !== undefined) cost.reasoning = round(thinkUsd);
    return cost;
  } catch {
    return;
  }
}

const KEYS = [
  ["input", "input_usd"],
  ["output", "output_usd"],
  ["total", "total_usd"],
  ["cacheRead", "cache_read_usd"],
  ["cacheWrite", "cache_write_usd"],
  ["reasoning", "reasoning_usd"],
] as const;

/**
 * Span attributes `fallom.cost.{input,output,total}_usd` (+ `cache_read_usd`, `cache_write_usd`,
 * `reasoning_usd` when those counts were reported). Undefined for unpriced calls.
 */
export function costAttributes(
  model: string | undefined,
  usage: TokenUsage,
  overrides?: PriceOverrides,
): Record<string, number> | undefined {
  const cost = computeCost(model, usage, overrides);
  if (!cost) return;
  const attrs: Record<string, number> = {};
  for (const [k, name] of KEYS) if (cost[k] !== undefined) attrs["fallom.cost." + name] = cost[k];
  return attrs;
}
