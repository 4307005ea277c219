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

// Counts and rates must be non-negative and below 2^53 (no overflow); anything else is "absent".
const num = (v: unknown) => (typeof v == "number" && v >= 0 && v < 2 ** 53 ? v : undefined);
const round = (v: number) => Math.round(v * 1e9) / 1e9;
const usd = (micro: number) => round(micro / 1e6);

function toPrice(v: unknown): ModelPrice | undefined {
  const o = Object(v);
  const p = (Array.isArray(v) ? v : [o.input, o.output, o.cacheRead, o.cacheWrite, o.reasoning]).map(num);
  return p[0] === undefined || p[1] === undefined ? undefined : (p as unknown as ModelPrice);
}

// model ids repeat on every call: remember lookups per overrides object (read once), bounded
const memo = new WeakMap<object, Map<string, PriceMatch | undefined>>();
const TABLE = {};

/** Finds the price for a model: overrides first (exact, then normalised keys), then the table. Never throws. */
export function lookupPrice(model: string | undefined, overrides?: PriceOverrides): PriceMatch | undefined {
  if (typeof model != "string") return;
  const owner = overrides ?? TABLE;
  let seen = memo.get(owner);
  if (!seen || seen.size > 256) memo.set(owner, (seen = new Map()));
  if (!seen.has(model)) seen.set(model, findPrice(model, overrides));
  return seen.get(model);
}

function findPrice(model: string, overrides?: PriceOverrides): PriceMatch | undefined {
  try {
    const norm = normalizeModelId(model);
    const ids = [model, routeModelId(model), norm];
    if (overrides) {
      const keys = Object.keys(overrides);
      for (const k of [...ids.filter((i) => Object.hasOwn(overrides, i)), ...keys.filter((k) => normalizeModelId(k) === norm)]) {
        const price = toPrice(overrides[k]);
        if (price) return { id: k, price, override: true };
      }
    }
    for (const id of ids) if (Object.hasOwn(PRICES, id)) return { id, price: PRICES[id]!, override: false };
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
    if (!match || (input ?? output) === undefined) return;
    const [inRate, outRate, readRate = inRate, writeRate = inRate, thinkRate = outRate] = match.price;
    const read = num(usage.cacheRead);
    const write = num(usage.cacheWrite);
    const reasoning = num(usage.reasoning);
    const out = output ?? 0;
    // Reasoning is part of output: never billed on top of it.
    const think = Math.min(reasoning ?? 0, out);
    // Micro-dollars (tokens x USD per million tokens).
    const readUsd = (read ?? 0) * readRate;
    const writeUsd = (write ?? 0) * writeRate;
    const thinkUsd = think * thinkRate;
    const inUsd = usd(Math.max(0, (input ?? 0) - (read ?? 0) - (write ?? 0)) * inRate + readUsd + writeUsd);
    const outUsd = usd((out - think) * outRate + thinkUsd);
    const cost: CostBreakdown = { input: inUsd, output: outUsd, total: round(inUsd + outUsd) };
    if (read !== undefined) cost.cacheRead = usd(readUsd);
    if (write !== undefined) cost.cacheWrite = usd(writeUsd);
    if (reasoning !== undefined) cost.reasoning = usd(thinkUsd);
    return cost;
  } catch {
    return;
  }
}

const COST_KEYS: Record<keyof CostBreakdown, string> = {
  input: "fallom.cost.input_usd",
  output: "fallom.cost.output_usd",
  total: "fallom.cost.total_usd",
  cacheRead: "fallom.cost.cache_read_usd",
  cacheWrite: "fallom.cost.cache_write_usd",
  reasoning: "fallom.cost.reasoning_usd",
};

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
  for (const k in cost) attrs[COST_KEYS[k as keyof CostBreakdown]] = cost[k as keyof CostBreakdown]!;
  return attrs;
}
