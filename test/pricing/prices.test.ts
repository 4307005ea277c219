import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as pricing from "../../src/pricing";
import { lookupPrice, normalizeModelId, PRICES, PRICES_DATE } from "../../src/pricing";

const SRC = new URL("../../src/pricing/", import.meta.url);

describe("price table", () => {
  it("is dated and exported from the ./pricing entry", () => {
    expect(pricing.PRICES_DATE).toBe(PRICES_DATE);
    expect(Object.keys(pricing).sort()).toEqual(
      ["PRICES", "PRICES_DATE", "computeCost", "costAttributes", "lookupPrice", "normalizeModelId", "routeModelId"].sort(),
    );
  });

  it("covers at least 100 model ids", () => {
    expect(Object.keys(PRICES).length).toBeGreaterThanOrEqual(100);
  });

  it("every entry is 2-5 finite, non-negative USD-per-1M rates", () => {
    for (const [id, price] of Object.entries(PRICES)) {
      expect(price.length, id).toBeGreaterThanOrEqual(2);
      expect(price.length, id).toBeLessThanOrEqual(5);
      for (const rate of price) expect(rate === undefined || (Number.isFinite(rate) && rate >= 0), id).toBe(true);
      expect(price[0], id).toBeGreaterThan(0);
    }
  });

  it("keys are in normalised form (one exception matched before date stripping) and resolve to themselves", () => {
    const exceptions = ["gpt-4o-2024-05-13"];
    for (const id of Object.keys(PRICES)) {
      if (!exceptions.includes(id)) expect(normalizeModelId(id), id).toBe(id);
      expect(lookupPrice(id)?.id, id).toBe(id);
    }
  });

  it("Anthropic cache writes are 1.25x input and reads 0.1x, except where Anthropic lists otherwise", () => {
    // Haiku 3 is listed at $0.30 write / $0.03 read; Fable 5.1 reads at 0.025x.
    const listed: Record<string, [number, number]> = { "claude-haiku-3": [0.03, 0.3], "claude-fable-5.1": [0.25, 12.5] };
    for (const [id, [input, , read, write]] of Object.entries(PRICES)) {
      if (!id.startsWith("claude-")) continue;
      const [r, w] = listed[id] ?? [input * 0.1, input * 1.25];
      expect(read, id).toBeCloseTo(r, 10);
      expect(write, id).toBeCloseTo(w, 10);
    }
  });

  it("covers the required model families", () => {
    const required = [
      "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini",
      "o1", "o3", "o3-mini", "o4-mini", "gpt-3.5-turbo", "text-embedding-3-small", "text-embedding-3-large",
      "claude-opus-4.1", "claude-opus-4", "claude-sonnet-4", "claude-sonnet-4.5", "claude-haiku-4.5",
      "claude-3-7-sonnet-latest", "claude-3-5-sonnet-latest", "claude-3-5-haiku-latest", "claude-3-opus-latest",
      "claude-3-haiku-20240307", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
      "gemini-2.0-flash-lite", "gemini-1.5-pro", "gemini-1.5-flash", "mistral-large-latest", "mistral-medium-latest",
      "mistral-small-2506", "codestral-latest", "ministral-8b-latest", "grok-4", "grok-3", "grok-3-mini",
      "deepseek-chat", "deepseek-reasoner", "meta-llama/llama-3.1-70b-instruct", "llama-3.3-70b-instruct",
      "meta-llama/llama-4-maverick", "meta.llama3-1-70b-instruct-v1:0", "anthropic.claude-3-5-sonnet-20241022-v2:0",
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
    ];
    for (const id of required) expect(lookupPrice(id), id).toBeDefined();
  });
});

describe("bundle", () => {
  it("uses no node: imports and no dependencies", () => {
    for (const file of readdirSync(SRC)) {
      const text = readFileSync(new URL(file, SRC), "utf8");
      for (const [, spec] of text.matchAll(/from\s+"([^"]+)"/g)) expect(spec!.startsWith("./"), `${file}: ${spec}`).toBe(true);
    }
  });

  it("prices + cost + normalisation stay within ~2 KB min+gz", async () => {
    const out = await build({
      entryPoints: [new URL("index.ts", SRC).pathname],
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const size = gzipSync(out.outputFiles[0]!.contents, { level: 9 }).length;
    expect(size).toBeLessThanOrEqual(2150);
  });
});
