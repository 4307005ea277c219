/**
 * List prices in USD per million tokens: [input, output, cacheRead?, cacheWrite?, reasoning?].
 * A missing cacheRead/cacheWrite rate bills those tokens at the input rate; a missing
 * reasoning rate bills reasoning tokens as output. Keys are in normalizeModelId() form.
 * List prices as of PRICES_DATE, base tier only (no batch, flex, priority, long-context
 * or cloud-region premiums). See docs/pricing.md; check them before relying on them.
 */
export type ModelPrice = readonly [
  input: number,
  output: number,
  cacheRead?: number,
  cacheWrite?: number,
  reasoning?: number,
];

export const PRICES_DATE = "2026-09-01";

// `ids:input,output,cacheRead,cacheWrite;…` as one string (smaller than an object literal, even gzipped). An id
// starting with "-" extends the last full id; an empty cacheRead is input / 10, an empty cacheWrite input × 1.25.
const TABLE =
  // OpenAI
  "gpt-5.6,-sol:4,20,,;" +
  "-terra:2,12,,;" +
  "-luna:.2,1.2,,;" +
  "gpt-5.5,-chat,-codex:5,30,;" +
  "-pro:30,180;" +
  "gpt-5.4:2.5,15,;" +
  "-mini:.75,4.5,;" +
  "-nano:.2,1.25,;" +
  "-pro:30,180;" +
  "gpt-5.3,-chat,-codex,gpt-5.2,-chat,-codex:1.75,14,;" +
  "-pro:21,168;" +
  "gpt-5.1,-chat,-codex,-codex-max:1.25,10,;" +
  "-codex-mini:.25,2,;" +
  "gpt-5,-chat,-codex:1.25,10,;" +
  "-mini:.25,2,;" +
  "-nano:.05,.4,;" +
  "-pro:15,120;" +
  "gpt-4.1:2,8,.5;" +
  "-mini:.4,1.6,.1;" +
  "-nano:.1,.4,.025;" +
  "gpt-4o:2.5,10,1.25;" +
  // Launch snapshot kept its higher price; matched before date stripping.
  "-2024-05-13:5,15;" +
  "-mini:.15,.6,.075;" +
  "chatgpt-4o:5,15;" +
  "o1:15,60,7.5;" +
  "-mini:1.1,4.4,.55;" +
  "-pro:150,600;" +
  "o3:2,8,.5;" +
  "-mini:1.1,4.4,.55;" +
  "-pro:20,80;" +
  "o4-mini:1.1,4.4,.275;" +
  "gpt-4-turbo:10,30;" +
  "gpt-4:30,60;" +
  "gpt-3.5-turbo,-0125:.5,1.5;" +
  "text-embedding-3-small:.02,0;" +
  "text-embedding-3-large:.13,0;" +
  "text-embedding-ada:.1,0;" +

  // Anthropic (5-minute cache writes)
  "claude-fable-5.1:10,50,.25,;" +
  "claude-fable-5:10,50,,;" +
  "claude-opus-5:5,25,,;" +
  "claude-sonnet-5:2,10,,;" +
  "claude-opus-4.8,claude-opus-4.7,claude-opus-4.6,claude-opus-4.5:5,25,,;" +
  "claude-opus-4.1,claude-opus-4:15,75,,;" +
  "claude-sonnet-4.6,claude-sonnet-4.5,claude-sonnet-4:3,15,,;" +
  "claude-haiku-4.5:1,5,,;" +
  "claude-sonnet-3.7,claude-sonnet-3.5:3,15,,;" +
  "claude-haiku-3.5:.8,4,,;" +
  "claude-opus-3:15,75,,;" +
  "claude-haiku-3:.25,1.25,.03,.3;" +

  // Google (Gemini API, prompts up to the first context tier)
  "gemini-3.7-flash,gemini-3.6-flash:.75,3.75,;" +
  "gemini-3.5-flash:1.5,9,;" +
  "-lite:.3,2.5,;" +
  "gemini-3.1-pro:2,12,;" +
  "gemini-3.1-flash-lite:.25,1.5,;" +
  "gemini-3-pro:2,12,;" +
  "gemini-3-flash:.5,3,;" +
  "gemini-2.5-pro:1.25,10,;" +
  "gemini-2.5-flash:.3,2.5,;" +
  "-lite:.1,.4,;" +
  "gemini-2.0-flash:.1,.4,.025;" +
  "-lite:.075,.3;" +
  "gemini-1.5-pro:1.25,5,.3125;" +
  "gemini-1.5-flash:.075,.3,.01875;" +
  "-8b:.0375,.15,.01;" +
  "gemini-embedding:.15,0;" +

  // Mistral: "-latest" aliases only where the alias target is documented
  "mistral-large,-2512:.5,1.5,;" +
  "-2411,-2407:2,6;" +
  "mistral-medium,-3.5:1.5,7.5,;" +
  "-2508,-2505:.4,2,;" +
  "mistral-small-2603:.15,.6,;" +
  "mistral-small-2506:.1,.3;" +
  "codestral,-2508:.3,.9,;" +
  "ministral-8b:.15,.15,;" +
  "ministral-14b-2512:.2,.2,;" +
  "ministral-8b-2512:.15,.15,;" +
  "ministral-3b-2512:.1,.1,;" +
  "ministral-8b-2410:.1,.1;" +
  "ministral-3b-2410:.04,.04;" +
  "magistral-medium:2,5;" +
  "magistral-small:.5,1.5;" +

  // xAI
  "grok-4.6:2,6,.5;" +
  "grok-4.5:2,6,.3;" +
  "grok-4.3,grok-4.20:1.25,2.5,.2;" +
  "grok-4.1-fast,grok-4-fast:.2,.5,.05;" +
  "grok-4,-0709:3,15,.75;" +
  "grok-code-fast-1:.2,1.5,;" +
  "grok-3:3,15,.75;" +
  "-mini:.3,.5,.075;" +

  // DeepSeek (V3.2 endpoints)
  "deepseek-chat,deepseek-reasoner:.28,.42,.028;" +

  // Meta Llama at AWS Bedrock on-demand prices (open weights: other hosts differ)
  "llama-4-maverick:.24,.97;" +
  "llama-4-scout:.17,.66;" +
  "llama-3.3-70b,llama-3.2-90b:.72,.72;" +
  "llama-3.2-11b:.16,.16;" +
  "llama-3.2-3b:.15,.15;" +
  "llama-3.2-1b:.1,.1;" +
  "llama-3.1-70b:.72,.72;" +
  "llama-3.1-8b:.22,.22";

let table: Record<string, ModelPrice> | undefined;

/** The price table, parsed on first call: the SDK's own lookups cost nothing at import (cold starts). */
export function prices(): Record<string, ModelPrice> {
  if (!table) {
    table = {};
    let base = "";
    for (const entry of TABLE.split(";")) {
      const [ids, rates] = entry.split(":") as [string, string];
      for (const id of ids.split(",")) {
        const r = rates.split(",");
        table[id[0] == "-" ? base + id : (base = id)] = r.map((v, i) =>
          v ? +v : i < 3 ? +r[0]! / 10 : +r[0]! * 1.25,
        ) as unknown as ModelPrice;
      }
    }
  }
  return table;
}

// the same object; parsed at import only where PRICES itself is imported (bundlers drop this call otherwise)
export const PRICES: Record<string, ModelPrice> = /* @__PURE__ */ prices();
