// Golden usage shapes (D1, D2): every spec version and the providers' own conventions normalise to
// input ⊇ cache read + cache write, output ⊇ reasoning, and unknown counts stay absent (never 0).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeFinishReason, normalizeUsage } from "../../../src/integrations/ai-sdk/index";

describe("normalizeUsage", () => {
  const cases: Array<[string, unknown, Record<string, number | undefined>]> = [
    [
      "v2 OpenAI: prompt incl. cached, completion incl. reasoning",
      { inputTokens: 2006, outputTokens: 300, totalTokens: 2306, cachedInputTokens: 1920, reasoningTokens: 192 },
      { input: 2006, output: 300, cacheRead: 1920, reasoning: 192 },
    ],
    ["v2 without details", { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, { input: 10, output: 5 }],
    [
      "v3/v4 OpenAI (as @ai-sdk/openai reports it)",
      { inputTokens: { total: 2006, noCache: 86, cacheRead: 1920, cacheWrite: undefined }, outputTokens: { total: 300, text: 108, reasoning: 192 } },
      { input: 2006, output: 300, cacheRead: 1920, reasoning: 192 },
    ],
    [
      "v3/v4 Anthropic cache read + write (total already includes both)",
      { inputTokens: { total: 2009, noCache: 21, cacheRead: 1800, cacheWrite: 188 }, outputTokens: { total: 393, text: undefined, reasoning: undefined } },
      { input: 2009, output: 393, cacheRead: 1800, cacheWrite: 188 },
    ],
    [
      "v3/v4 Gemini thoughts: reasoning inside output",
      { inputTokens: { total: 50, noCache: 50, cacheRead: 0 }, outputTokens: { total: 420, text: 20, reasoning: 400 } },
      { input: 50, output: 420, cacheRead: 0, reasoning: 400 },
    ],
    [
      "v3/v4 totals missing: summed from parts",
      { inputTokens: { noCache: 21, cacheRead: 1800, cacheWrite: 188 }, outputTokens: { text: 20, reasoning: 400 } },
      { input: 2009, output: 420, cacheRead: 1800, cacheWrite: 188, reasoning: 400 },
    ],
    [
      "v3/v4 total and noCache missing: input unknown, not the cached part alone",
      { inputTokens: { cacheRead: 1800 }, outputTokens: { reasoning: 5 } },
      { cacheRead: 1800, reasoning: 5 },
    ],
    [
      "stream without usage (createNullLanguageModelUsage): everything absent",
      { inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: undefined, text: undefined, reasoning: undefined } },
      {},
    ],
    ["v2 stream without usage", { inputTokens: undefined, outputTokens: undefined, totalTokens: undefined }, {}],
    ["undefined usage", undefined, {}],
    ["null usage", null, {}],
    ["garbage numbers are absent, not 0", { inputTokens: { total: Number.NaN, cacheRead: -1 }, outputTokens: { total: "12", reasoning: Infinity } }, {}],
    ["explicit zeros are kept", { inputTokens: 0, outputTokens: 0 }, { input: 0, output: 0 }],
  ];
  for (const [name, usage, expected] of cases) {
    it(name, () => {
      const got = normalizeUsage(usage as any);
      for (const k of ["input", "output", "cacheRead", "cacheWrite", "reasoning"] as const) expect(got[k], k).toBe(expected[k]);
    });
  }

  it("property: for consistent v3 usage, cached ⊆ input and reasoning ⊆ output; absent stays absent", () => {
    const count = fc.option(fc.nat({ max: 1e7 }), { nil: undefined });
    fc.assert(
      fc.property(fc.nat({ max: 1e7 }), count, count, fc.nat({ max: 1e7 }), count, fc.boolean(), fc.boolean(), (noCache, read, write, text, reasoning, hasTotalIn, hasTotalOut) => {
        const totalIn = noCache + (read ?? 0) + (write ?? 0);
        const totalOut = text + (reasoning ?? 0);
        const t = normalizeUsage({
          inputTokens: { total: hasTotalIn ? totalIn : undefined, noCache, cacheRead: read, cacheWrite: write },
          outputTokens: { total: hasTotalOut ? totalOut : undefined, text, reasoning },
        });
        expect(t.input).toBe(totalIn);
        expect(t.output).toBe(totalOut);
        expect((t.cacheRead ?? 0) + (t.cacheWrite ?? 0)).toBeLessThanOrEqual(t.input!);
        expect(t.reasoning ?? 0).toBeLessThanOrEqual(t.output!);
        expect(t.cacheRead).toBe(read);
        expect(t.cacheWrite).toBe(write);
        expect(t.reasoning).toBe(reasoning);
      }),
    );
  });
});

describe("normalizeFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["tool-calls", "tool_call"],
    ["content-filter", "content_filter"],
    ["error", "error"],
    ["other", "other"],
    ["unknown", "unknown"],
  ])("v2 %s -> %s", (input, expected) => expect(normalizeFinishReason(input)).toBe(expected));

  it("v3/v4 { unified, raw } uses the unified reason", () => {
    expect(normalizeFinishReason({ unified: "tool-calls", raw: "tool_use" })).toBe("tool_call");
    expect(normalizeFinishReason({ unified: "stop", raw: "end_turn" })).toBe("stop");
  });

  it("absent or malformed reasons are undefined", () => {
    expect(normalizeFinishReason(undefined)).toBeUndefined();
    expect(normalizeFinishReason(null as any)).toBeUndefined();
    expect(normalizeFinishReason({ unified: undefined } as any)).toBeUndefined();
    expect(normalizeFinishReason(42 as any)).toBeUndefined();
  });
});
