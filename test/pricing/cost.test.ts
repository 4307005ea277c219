import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeCost,
  costAttributes,
  lookupPrice,
  PRICES,
  PRICES_DATE,
  type PriceOverrides,
  type TokenUsage,
} from "../../src/pricing";

describe("D1: cached tokens are a subset of input, reasoning a subset of output", () => {
  it("OpenAI chat completions: gpt-5-mini with cached_tokens and reasoning_tokens", () => {
    // usage: prompt_tokens 10000 (cached_tokens 8000), completion_tokens 3000 (reasoning_tokens 2000)
    const usage: TokenUsage = { input: 10_000, cacheRead: 8_000, output: 3_000, reasoning: 2_000 };
    // $0.25 / $2 / cached $0.025 per 1M
    expect(computeCost("gpt-5-mini-2025-08-07", usage)).toEqual({
      input: 0.0007, // 2000 x 0.25 + 8000 x 0.025 = 500 + 200 micro-USD
      output: 0.006, // 3000 x 2: reasoning is inside output, billed once
      total: 0.0067,
      cacheRead: 0.0002,
      reasoning: 0.004,
    });
    expect(costAttributes("gpt-5-mini-2025-08-07", usage)).toEqual({
      "fallom.cost.input_usd": 0.0007,
      "fallom.cost.output_usd": 0.006,
      "fallom.cost.total_usd": 0.0067,
      "fallom.cost.cache_read_usd": 0.0002,
      "fallom.cost.reasoning_usd": 0.004,
    });
  });

  it("OpenAI responses API: o4-mini with input_tokens_details.cached_tokens", () => {
    const cost = computeCost("o4-mini", { input: 5_000, cacheRead: 4_096, output: 1_200, reasoning: 1_024 });
    // 904 x 1.1 + 4096 x 0.275 = 994.4 + 1126.4; 1200 x 4.4
    expect(cost).toEqual({ input: 0.0021208, output: 0.00528, total: 0.0074008, cacheRead: 0.0011264, reasoning: 0.0045056 });
  });

  it("Anthropic cache read and cache write (5-minute) at 0.1x and 1.25x input", () => {
    // Anthropic native usage: input_tokens 100, cache_creation_input_tokens 2000, cache_read_input_tokens 10000.
    // OTel input_tokens = 100 + 2000 + 10000.
    const usage: TokenUsage = { input: 12_100, cacheWrite: 2_000, cacheRead: 10_000, output: 500 };
    const expected = { input: 0.0108, output: 0.0075, total: 0.0183, cacheRead: 0.003, cacheWrite: 0.0075 };
    expect(computeCost("claude-sonnet-4-5-20250929", usage)).toEqual(expected);
    expect(computeCost("us.anthropic.claude-sonnet-4-20250514-v1:0", usage)).toEqual(expected);
    expect(computeCost("anthropic/claude-3.7-sonnet", usage)).toEqual(expected);
    expect(costAttributes("claude-sonnet-4-5", usage)).toEqual({
      "fallom.cost.input_usd": 0.0108,
      "fallom.cost.output_usd": 0.0075,
      "fallom.cost.total_usd": 0.0183,
      "fallom.cost.cache_read_usd": 0.003,
      "fallom.cost.cache_write_usd": 0.0075,
    });
  });

  it("Gemini thoughts: thoughtsTokenCount is part of output, billed once at the output rate", () => {
    // promptTokenCount 1000 (cachedContentTokenCount 200), candidatesTokenCount 300, thoughtsTokenCount 1200
    const usage: TokenUsage = { input: 1_000, cacheRead: 200, output: 1_500, reasoning: 1_200 };
    const cost = computeCost("models/gemini-2.5-flash", usage);
    expect(cost).toEqual({ input: 0.000246, output: 0.00375, total: 0.003996, cacheRead: 0.000006, reasoning: 0.003 });
    // Double counting thoughts would have billed 2700 output tokens.
    expect(cost!.output).not.toBe((2_700 * 2.5) / 1e6);
  });

  it("OpenRouter ids price at the first-party list price", () => {
    expect(computeCost("openai/gpt-4o-mini", { input: 1_000_000, output: 1_000_000 })).toEqual({
      input: 0.15,
      output: 0.6,
      total: 0.75,
    });
    expect(computeCost("anthropic/claude-3.5-sonnet", { input: 1_000, output: 200 })).toEqual({
      input: 0.003,
      output: 0.003,
      total: 0.006,
    });
    expect(computeCost("google/gemini-2.5-pro", { input: 2_000, output: 1_000 })?.total).toBe(0.0125);
  });

  it("Bedrock Llama ids", () => {
    expect(computeCost("meta.llama3-1-70b-instruct-v1:0", { input: 1_000, output: 1_000 })?.total).toBe(0.00144);
  });

  it("reasoning has its own rate only when the price says so (here via an override)", () => {
    const overrides: PriceOverrides = { "custom-reasoner": { input: 1, output: 2, reasoning: 8 } };
    expect(computeCost("custom-reasoner", { input: 1_000, output: 1_000, reasoning: 600 }, overrides)).toEqual({
      input: 0.001,
      output: 0.0056, // 400 x 2 + 600 x 8
      total: 0.0066,
      reasoning: 0.0048,
    });
  });

  it("reasoning above output is clamped to output (never billed on top)", () => {
    expect(computeCost("o3", { input: 0, output: 100, reasoning: 500 })).toEqual({
      input: 0,
      output: 0.0008,
      total: 0.0008,
      reasoning: 0.0008,
    });
  });

  it("cache tokens fall back to the input rate when the model has no cache price", () => {
    const plain = computeCost("gpt-4-turbo", { input: 1_000, output: 0 });
    expect(computeCost("gpt-4-turbo", { input: 1_000, cacheRead: 500, output: 0 })).toEqual({ ...plain, cacheRead: 0.005 });
    // OpenAI models list no cache-write price: writes bill at the input rate.
    expect(computeCost("gpt-4o", { input: 1_000, cacheWrite: 400, output: 0 })).toEqual({
      input: 0.0025,
      output: 0,
      total: 0.0025,
      cacheWrite: 0.001,
    });
  });

  it("uncached input is clamped at 0 when cache counts exceed input", () => {
    expect(computeCost("claude-haiku-4-5", { input: 100, cacheRead: 300, output: 0 })).toEqual({
      input: 0.00003,
      output: 0,
      total: 0.00003,
      cacheRead: 0.00003,
    });
  });
});

describe("absent, invalid and unknown", () => {
  it("returns undefined when both input and output are absent", () => {
    expect(computeCost("gpt-4o", {})).toBeUndefined();
    expect(computeCost("gpt-4o", { cacheRead: 100, reasoning: 5 })).toBeUndefined();
    expect(costAttributes("gpt-4o", {})).toBeUndefined();
  });

  it("treats a missing side as 0 cost (embeddings have no output)", () => {
    expect(computeCost("text-embedding-3-small", { input: 1_000_000 })).toEqual({ input: 0.02, output: 0, total: 0.02 });
    expect(computeCost("gpt-4o", { output: 1_000 })).toEqual({ input: 0, output: 0.01, total: 0.01 });
  });

  it("treats NaN, negative, infinite and non-number counts as absent", () => {
    const bad = [Number.NaN, -1, Number.POSITIVE_INFINITY, "100", null, true] as unknown as number[];
    for (const v of bad) {
      expect(computeCost("gpt-4o", { input: v, output: v })).toBeUndefined();
      expect(computeCost("gpt-4o", { input: 1_000, output: v })).toEqual({ input: 0.0025, output: 0, total: 0.0025 });
      expect(computeCost("gpt-4o", { input: 1_000, output: 0, cacheRead: v, cacheWrite: v, reasoning: v })).toEqual({
        input: 0.0025,
        output: 0,
        total: 0.0025,
      });
    }
  });

  it("D4: unknown models are unpriced, never priced at a fallback", () => {
    for (const model of ["my-finetune", "gpt-4o-mini-unknown-xyz", "ft:gpt-4o-mini:org::id", "", undefined]) {
      expect(computeCost(model, { input: 1_000, output: 1_000 })).toBeUndefined();
      expect(costAttributes(model, { input: 1_000, output: 1_000 })).toBeUndefined();
    }
  });

  it("never throws on garbage", () => {
    const cases: unknown[][] = [
      ["gpt-4o", null],
      ["gpt-4o", undefined],
      ["gpt-4o", 5],
      [42, { input: 1 }],
      [{}, { input: 1 }],
      ["gpt-4o", { input: 1 }, null],
      ["gpt-4o", { input: 1 }, "overrides"],
      ["gpt-4o", { input: 1 }, { "gpt-4o": null }],
      ["gpt-4o", { input: 1 }, { "gpt-4o": "cheap" }],
      [
        "gpt-4o",
        {
          get input(): number {
            throw new Error("boom");
          },
        },
      ],
    ];
    for (const args of cases) {
      expect(() => computeCost(...(args as Parameters<typeof computeCost>))).not.toThrow();
      expect(() => costAttributes(...(args as Parameters<typeof costAttributes>))).not.toThrow();
    }
    expect(computeCost("gpt-4o", { input: 1 }, { "gpt-4o": "cheap" } as unknown as PriceOverrides)?.input).toBe(0.0000025);
  });
});

describe("D4: overrides and table date", () => {
  it("exports a dated table", () => {
    expect(PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(PRICES_DATE))).toBe(false);
  });

  it("overrides add new models (exact id, e.g. an Azure deployment name)", () => {
    const overrides: PriceOverrides = { "My-GPT4o-Deployment": [2.5, 10, 1.25] };
    expect(computeCost("My-GPT4o-Deployment", { input: 1_000, output: 100 }, overrides)).toEqual({
      input: 0.0025,
      output: 0.001,
      total: 0.0035,
    });
    expect(lookupPrice("My-GPT4o-Deployment", overrides)).toEqual({
      id: "My-GPT4o-Deployment",
      price: [2.5, 10, 1.25],
      override: true,
    });
  });

  it("overrides win over the table, matched by exact or normalised id", () => {
    const overrides: PriceOverrides = { "anthropic/claude-3.5-sonnet": { input: 1, output: 1 } };
    expect(computeCost("claude-3-5-sonnet-20241022", { input: 1_000, output: 1_000 }, overrides)).toEqual({
      input: 0.001,
      output: 0.001,
      total: 0.002,
    });
    expect(lookupPrice("claude-3-5-sonnet-20241022", overrides)?.override).toBe(true);
    // A normalised override beats even an exact table snapshot.
    expect(lookupPrice("gpt-4o-2024-05-13", { "gpt-4o": [1, 1] })).toEqual({ id: "gpt-4o", price: [1, 1], override: true });
  });

  it("an exact override key beats a normalised one", () => {
    const overrides: PriceOverrides = { "gpt-4o": [1, 1], "gpt-4o-2024-08-06": [2, 2] };
    expect(lookupPrice("gpt-4o-2024-08-06", overrides)?.id).toBe("gpt-4o-2024-08-06");
    expect(lookupPrice("gpt-4o-2024-11-20", overrides)?.id).toBe("gpt-4o");
  });

  it("invalid override prices are ignored (the table, or unpriced, applies)", () => {
    const overrides = { "gpt-4o": { input: Number.NaN, output: 1 }, mine: [-1, 2] } as unknown as PriceOverrides;
    expect(lookupPrice("gpt-4o", overrides)).toEqual({ id: "gpt-4o", price: PRICES["gpt-4o"], override: false });
    expect(computeCost("mine", { input: 1, output: 1 }, overrides)).toBeUndefined();
  });

  it("override cache and reasoning rates are optional; invalid optional rates fall back", () => {
    const overrides = { m: { input: 2, output: 4, cacheRead: -1 } } as unknown as PriceOverrides;
    expect(computeCost("m", { input: 1_000, cacheRead: 1_000, output: 0 }, overrides)).toEqual({
      input: 0.002,
      output: 0,
      total: 0.002,
      cacheRead: 0.002,
    });
  });
});

describe("rounding and invariants", () => {
  it("costAttributes rounds to 1e-9 USD", () => {
    const overrides: PriceOverrides = { tiny: [0.0000001234, 0] };
    expect(costAttributes("tiny", { input: 1_000_000, output: 0 }, overrides)).toEqual({
      "fallom.cost.input_usd": 1.23e-7,
      "fallom.cost.output_usd": 0,
      "fallom.cost.total_usd": 1.23e-7,
    });
    // 0.1 + 0.2 must not leak float noise into total.
    expect(computeCost("x", { input: 100_000, output: 200_000 }, { x: [1, 1] })?.total).toBe(0.3);
  });

  it("1M input + 1M output costs exactly the list price, for every table entry", () => {
    for (const [id, [input, output]] of Object.entries(PRICES)) {
      const cost = computeCost(id, { input: 1e6, output: 1e6 });
      expect(cost, id).toMatchObject({ input, output });
      expect(cost!.total).toBeCloseTo(input + output, 9);
    }
  });

  it("property: never throws; costs are finite, non-negative and add up", () => {
    const count = fc.oneof(
      fc.nat({ max: 10_000_000 }),
      fc.double(),
      fc.constant(undefined),
      fc.constant(Number.NaN),
      fc.integer({ min: -1000, max: -1 }),
    );
    const model = fc.oneof(fc.constantFrom(...Object.keys(PRICES)), fc.string());
    fc.assert(
      fc.property(model, count, count, count, count, count, (m, input, output, cacheRead, cacheWrite, reasoning) => {
        const usage = { input, output, cacheRead, cacheWrite, reasoning } as TokenUsage;
        const cost = computeCost(m, usage);
        if (!cost) return;
        for (const v of Object.values(cost)) expect(Number.isFinite(v) && v >= 0).toBe(true);
        // 1e-9 rounding, plus float precision for absurdly large (but valid) counts
        const eps = 2e-9 + cost.total * 1e-12;
        expect(Math.abs(cost.total - (cost.input + cost.output))).toBeLessThanOrEqual(eps);
        if (cost.reasoning !== undefined) expect(cost.reasoning).toBeLessThanOrEqual(cost.output + eps);
        if (cost.cacheRead !== undefined && cost.cacheWrite !== undefined)
          expect(cost.cacheRead + cost.cacheWrite).toBeLessThanOrEqual(cost.input + eps);
      }),
      { numRuns: 5_000 },
    );
  });

  it("property: a cache hit never costs more than the same token uncached", () => {
    const ids = Object.keys(PRICES);
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), (id, a, b) => {
        const input = a + b;
        const cached = computeCost(id, { input, cacheRead: b, output: 0 })!;
        const uncached = computeCost(id, { input, output: 0 })!;
        expect(cached.input).toBeLessThanOrEqual(uncached.input);
      }),
    );
  });
});
