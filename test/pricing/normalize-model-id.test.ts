import { describe, expect, it } from "vitest";
import { lookupPrice, normalizeModelId, PRICES } from "../../src/pricing";

// [id as seen in the wild, normalizeModelId(id), table key it prices at (null = must stay unpriced)]
const GOLDEN: [string, string, string | null][] = [
  // OpenAI: dated snapshots, aliases, OpenRouter and case/whitespace noise
  ["gpt-4o", "gpt-4o", "gpt-4o"],
  ["gpt-4o-2024-08-06", "gpt-4o", "gpt-4o"],
  ["gpt-4o-2024-11-20", "gpt-4o", "gpt-4o"],
  ["gpt-4o-2024-05-13", "gpt-4o", "gpt-4o-2024-05-13"], // launch snapshot kept its own price
  ["openai/gpt-4o-2024-05-13", "gpt-4o", "gpt-4o-2024-05-13"],
  ["gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini"],
  ["gpt-4o-mini-2024-07-18", "gpt-4o-mini", "gpt-4o-mini"],
  ["openai/gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini"],
  ["  GPT-4o  ", "gpt-4o", "gpt-4o"],
  ["azure/gpt-4o", "gpt-4o", "gpt-4o"],
  ["chatgpt-4o-latest", "chatgpt-4o", "chatgpt-4o"],
  ["gpt-5-2025-08-07", "gpt-5", "gpt-5"],
  ["gpt-5-mini-2025-08-07", "gpt-5-mini", "gpt-5-mini"],
  ["gpt-5-nano", "gpt-5-nano", "gpt-5-nano"],
  ["gpt-5-chat-latest", "gpt-5-chat", "gpt-5-chat"],
  ["gpt-5-1", "gpt-5.1", "gpt-5.1"],
  ["gpt-5.4-mini-2026-03-17", "gpt-5.4-mini", "gpt-5.4-mini"],
  ["gpt-4.1-2025-04-14", "gpt-4.1", "gpt-4.1"],
  ["openai/gpt-4.1-nano", "gpt-4.1-nano", "gpt-4.1-nano"],
  ["o1-preview", "o1", "o1"],
  ["o1-2024-12-17", "o1", "o1"],
  ["o3-2025-04-16", "o3", "o3"],
  ["o3-mini-2025-01-31", "o3-mini", "o3-mini"],
  ["o4-mini-2025-04-16", "o4-mini", "o4-mini"],
  ["gpt-4-turbo-2024-04-09", "gpt-4-turbo", "gpt-4-turbo"],
  ["gpt-3.5-turbo", "gpt-3.5-turbo", "gpt-3.5-turbo"],
  ["gpt-3.5-turbo-0125", "gpt-3.5-turbo-0125", "gpt-3.5-turbo-0125"],
  ["text-embedding-3-small", "text-embedding-3-small", "text-embedding-3-small"],
  ["text-embedding-3-large", "text-embedding-3-large", "text-embedding-3-large"],
  ["text-embedding-ada-002", "text-embedding-ada", "text-embedding-ada"],

  // Anthropic: dated, -latest, dots vs dashes, OpenRouter, Vertex @dates
  ["claude-3-5-sonnet-20241022", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["claude-3-5-sonnet-20240620", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["claude-3.5-sonnet", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["claude-3-5-sonnet-latest", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["Claude-3-5-Sonnet-20241022", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["anthropic/claude-3.5-sonnet", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["anthropic/claude-3.7-sonnet:thinking", "claude-sonnet-3.7", "claude-sonnet-3.7"],
  ["claude-3-7-sonnet-20250219", "claude-sonnet-3.7", "claude-sonnet-3.7"],
  ["claude-3-5-haiku-20241022", "claude-haiku-3.5", "claude-haiku-3.5"],
  ["claude-3-opus-20240229", "claude-opus-3", "claude-opus-3"],
  ["claude-3-haiku-20240307", "claude-haiku-3", "claude-haiku-3"],
  ["claude-sonnet-4-20250514", "claude-sonnet-4", "claude-sonnet-4"],
  ["claude-sonnet-4-5-20250929", "claude-sonnet-4.5", "claude-sonnet-4.5"],
  ["anthropic/claude-sonnet-4.5", "claude-sonnet-4.5", "claude-sonnet-4.5"],
  ["claude-opus-4-1-20250805", "claude-opus-4.1", "claude-opus-4.1"],
  ["claude-opus-4-20250514", "claude-opus-4", "claude-opus-4"],
  ["claude-4-opus-20250514", "claude-opus-4", "claude-opus-4"],
  ["claude-haiku-4-5-20251001", "claude-haiku-4.5", "claude-haiku-4.5"],
  ["claude-opus-4-5", "claude-opus-4.5", "claude-opus-4.5"],
  ["claude-3-5-sonnet-v2@20241022", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["claude-sonnet-4@20250514", "claude-sonnet-4", "claude-sonnet-4"],

  // Bedrock: region + vendor prefixes and -vN:M suffixes
  ["anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-sonnet-3.5", "claude-sonnet-3.5"],
  ["us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4", "claude-sonnet-4"],
  ["eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-sonnet-3.7", "claude-sonnet-3.7"],
  ["apac.anthropic.claude-3-haiku-20240307-v1:0", "claude-haiku-3", "claude-haiku-3"],
  ["global.anthropic.claude-opus-4-6-v1", "claude-opus-4.6", "claude-opus-4.6"],
  ["meta.llama3-1-70b-instruct-v1:0", "llama-3.1-70b", "llama-3.1-70b"],
  ["meta.llama3-1-8b-instruct-v1:0", "llama-3.1-8b", "llama-3.1-8b"],
  ["meta.llama3-3-70b-instruct-v1:0", "llama-3.3-70b", "llama-3.3-70b"],
  ["us.meta.llama3-2-11b-instruct-v1:0", "llama-3.2-11b", "llama-3.2-11b"],
  ["us.meta.llama4-maverick-17b-instruct-v1:0", "llama-4-maverick", "llama-4-maverick"],
  ["mistral.mistral-large-2407-v1:0", "mistral-large-2407", "mistral-large-2407"],

  // Llama as commonly named elsewhere
  ["meta-llama/llama-3.3-70b-instruct", "llama-3.3-70b", "llama-3.3-70b"],
  ["meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama-4-scout", "llama-4-scout"],
  ["meta-llama/llama-4-maverick", "llama-4-maverick", "llama-4-maverick"],
  ["@cf/meta/llama-3.1-8b-instruct", "llama-3.1-8b", "llama-3.1-8b"],
  ["llama-3.2-11b-vision-instruct", "llama-3.2-11b", "llama-3.2-11b"],

  // Google: models/ prefix, previews, dated previews, -001 versions
  ["models/gemini-2.5-pro", "gemini-2.5-pro", "gemini-2.5-pro"],
  ["projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash", "gemini-2.5-flash", "gemini-2.5-flash"],
  ["google/gemini-2.5-pro-preview", "gemini-2.5-pro", "gemini-2.5-pro"],
  ["gemini-2.5-pro-preview-05-06", "gemini-2.5-pro", "gemini-2.5-pro"],
  ["gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash", "gemini-2.5-flash"],
  ["gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite", "gemini-2.5-flash-lite"],
  ["gemini-2.0-flash-001", "gemini-2.0-flash", "gemini-2.0-flash"],
  ["gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite", "gemini-2.0-flash-lite"],
  ["gemini-1.5-pro-002", "gemini-1.5-pro", "gemini-1.5-pro"],
  ["gemini-1.5-flash-8b-001", "gemini-1.5-flash-8b", "gemini-1.5-flash-8b"],
  ["gemini-3-pro-preview", "gemini-3-pro", "gemini-3-pro"],

  // Mistral, xAI, DeepSeek
  ["mistral-large-latest", "mistral-large", "mistral-large"],
  ["mistralai/mistral-large-2411", "mistral-large-2411", "mistral-large-2411"],
  ["mistral-medium-latest", "mistral-medium", "mistral-medium"],
  ["mistral-medium-2508", "mistral-medium-2508", "mistral-medium-2508"],
  ["mistral-small-2506", "mistral-small-2506", "mistral-small-2506"],
  ["codestral-latest", "codestral", "codestral"],
  ["ministral-8b-latest", "ministral-8b", "ministral-8b"],
  ["ministral-3b-2410", "ministral-3b-2410", "ministral-3b-2410"],
  ["x-ai/grok-4", "grok-4", "grok-4"],
  ["grok-4-0709", "grok-4-0709", "grok-4-0709"],
  ["grok-4-latest", "grok-4", "grok-4"],
  ["grok-4-fast-reasoning", "grok-4-fast", "grok-4-fast"],
  ["grok-4-1-fast-non-reasoning", "grok-4.1-fast", "grok-4.1-fast"],
  ["grok-3-mini-beta", "grok-3-mini", "grok-3-mini"],
  ["deepseek-chat", "deepseek-chat", "deepseek-chat"],
  ["deepseek/deepseek-chat", "deepseek-chat", "deepseek-chat"],
  ["deepseek-reasoner", "deepseek-reasoner", "deepseek-reasoner"],

  // Must stay unpriced: unknown, fine-tunes, name extensions, host-specific or differently billed variants
  ["my-finetune", "my-finetune", null],
  ["gpt-4o-mini-unknown-xyz", "gpt-4o-mini-unknown-xyz", null], // no prefix fallback
  ["gpt-4o-unknown", "gpt-4o-unknown", null],
  ["ft:gpt-4o-mini-2024-07-18:my-org::abc123", "ft:gpt-4o-mini-2024-07-18:my-org::abc123", null],
  ["gpt-4o-realtime-preview", "gpt-4o-realtime", null],
  ["gpt-4o-audio-preview-2024-12-17", "gpt-4o-audio", null],
  ["gpt-4-1106-preview", "gpt-4-1106", null],
  ["gpt-4.5-preview", "gpt-4.5", null],
  ["o1-pro-unknown", "o1-pro-unknown", null],
  ["gemini-2.0-flash-exp", "gemini-2.0-flash-exp", null], // experimental: often free, never guessed
  ["gemini-3-pro-image-preview", "gemini-3-pro-image", null],
  ["gemini-2.5-flash-preview-tts", "gemini-2.5-flash-preview-tts", null],
  ["mistral-small-latest", "mistral-small", null], // alias target not documented at table date
  ["magistral-medium-2509", "magistral-medium-2509", null],
  ["meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo", "llama-3.1-70b-instruct-turbo", null],
  ["llama-3.3-70b-versatile", "llama-3.3-70b-versatile", null],
  ["llama3.1:70b", "llama-3.1:70b", null],
  ["meta-llama/llama-3.3-70b-instruct:free", "llama-3.3-70b-instruct:free", null],
  ["openai/gpt-4o:extended", "gpt-4o:extended", null],
  ["deepseek/deepseek-chat-v3-0324", "deepseek-chat-v3-0324", null],
  ["gpt-oss-120b", "gpt-oss-120b", null],
  ["constructor", "constructor", null],
  ["__proto__", "__proto__", null],
  ["toString", "tostring", null],
  ["", "", null],
];

describe("normalizeModelId (golden)", () => {
  it("has at least 40 golden ids, including negatives", () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(40);
    expect(GOLDEN.filter(([, , key]) => key === null).length).toBeGreaterThanOrEqual(10);
  });

  it.each(GOLDEN)("%s -> %s (priced as %s)", (id, normalized, key) => {
    expect(normalizeModelId(id)).toBe(normalized);
    const match = lookupPrice(id);
    if (key === null) expect(match).toBeUndefined();
    else {
      expect(match?.id).toBe(key);
      expect(match?.price).toBe(PRICES[key]);
      expect(match?.override).toBe(false);
    }
  });

  it("is idempotent", () => {
    for (const [id] of GOLDEN) expect(normalizeModelId(normalizeModelId(id))).toBe(normalizeModelId(id));
  });

  it("never throws on non-strings", () => {
    for (const bad of [undefined, null, 42, {}, [], Symbol("x")]) {
      expect(normalizeModelId(bad as unknown as string)).toBe("");
      expect(lookupPrice(bad as unknown as string)).toBeUndefined();
    }
  });
});

describe("lookup never falls back to a shorter model", () => {
  it("a known id plus an unknown suffix is unpriced, for every table key", () => {
    for (const key of Object.keys(PRICES)) {
      expect(lookupPrice(`${key}-unknown-xyz`), key).toBeUndefined();
      expect(lookupPrice(`${key}x`), key).toBeUndefined();
    }
  });

  it("gpt-4o-mini is never priced as gpt-4o, nor o1-pro as o1, nor gpt-5-pro as gpt-5", () => {
    expect(lookupPrice("gpt-4o-mini")?.id).toBe("gpt-4o-mini");
    expect(lookupPrice("openai/gpt-4o-mini-2024-07-18")?.id).toBe("gpt-4o-mini");
    expect(lookupPrice("o1-pro-2025-03-19")?.id).toBe("o1-pro");
    expect(lookupPrice("gpt-5-pro-2025-10-06")?.id).toBe("gpt-5-pro");
    expect(lookupPrice("gemini-2.5-flash-lite")?.id).toBe("gemini-2.5-flash-lite");
    expect(lookupPrice("gemini-3.5-flash-lite-preview")?.id).toBe("gemini-3.5-flash-lite");
  });
});
