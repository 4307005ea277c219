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

// the TokenUsage fields in ModelPrice order, shared by override parsing and usage reading
const FIELDS = ["input", "output", "cacheRead", "cacheWrite", "reasoning"] as const;

// Counts and rates must be non-negative and below 2^53 (no overflow); anything else is "absent".
const num = (v: unknown) => (typeof v == "number" && v >= 0 && v < 2 ** 53 ? v : undefined);
const round = (v: number) => Math.round(v * 1e9) / 1e9;
const usd = (micro: number) => round(micro / 1e6);

function toPrice(v: any): ModelPrice | undefined {
  const p = (Array.isArray(v) ? v : FIELDS.map((k) => Object(v)[k])).map(num);
  // NaN unless both the input and output rates are valid
  return p[0]! + p[1]! >= 0 ? (p as unknown as ModelPrice) : undefined;
}

// model ids repeat on every call: lookups remembered per overrides object (the table's under `memo`), bounded
const memo = new WeakMap<object, Map<string, PriceMatch | undefined>>();

/** Finds the price for a model: overrides first (exact, then normalised keys), then the table. Never throws. */
export function lookupPrice(model: string | undefined, overrides?: PriceOverrides): PriceMatch | undefined {
  if (typeof model != "string") return;
  const owner = overrides ?? memo;
  let seen = memo.get(owner);
  if (!seen || seen.size > 256) memo.set(owner, (seen = new Map()));
  if (!seen.has(model)) seen.set(model, findPrice(model, overrides));
  return seen.get(model);
}

function findPrice(model: string, overrides?: PriceOverrides): PriceMatch | undefined {
  try {
    const norm = normalizeModelId(model);
    const ids = [model, routeModelId(model), norm];
    const own = (table: object) => ids.filter((id) => Object.hasOwn(table, id));
    if (overrides)
      for (const id of [...own(overrides), ...Object.keys(overrides).filter((k) => normalizeModelId(k) === norm)]) {
        const price = toPrice(overrides[id]);
        if (price) return { id, price, override: true };
      }
    const table = PRICES;
    const [id] = own(table);
    if (id !== undefined) return { id, price: table[id]!, override: false };
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
    const [input, output, read, write, reasoning] = FIELDS.map((k) => num(usage[k]));
    if (!match || (input ?? output) === undefined) return;
    const [inRate, outRate, readRate = inRate, writeRate = inRate, thinkRate = outRate] = match.price;
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
  // cacheRead → fallom.cost.cache_read_usd
  for (const k in cost)
    attrs[`fallom.cost.${k.replace(/[A-Z]/, (c) => "_" + c.toLowerCase())}_usd`] = cost[k as keyof CostBreakdown]!;
  return attrs;
}
