/**
 * Lowercases and strips routing prefixes only: `provider/` paths (OpenRouter, `models/`,
 * Vertex resource names) and Bedrock region/vendor prefixes (`us.anthropic.`, `meta.`).
 * Exact snapshot ids that must not collapse (e.g. gpt-4o-2024-05-13) are matched at this stage.
 */
export function routeModelId(id: string): string {
  return typeof id == "string"
    ? id.trim().toLowerCase().replace(/^(?:.*\/)?(?:[a-z-]+\.)*/, "")
    : "";
}

/**
 * Canonical price-table key for a model id. Rules (docs/pricing.md):
 * routing prefixes; trailing version tags (`-v2:0`, `@20241022`, `-20241022`, `-2024-08-06`,
 * `-05-20`, `-09-2025`, `-001`, `-latest`, `-preview`, `-beta`, `:thinking`); xAI
 * `-reasoning`/`-non-reasoning`; `3-5` → `3.5`; `claude-3.5-sonnet` → `claude-sonnet-3.5`;
 * `meta-llama-3.1-70b-instruct` / `llama3-1-70b-instruct` → `llama-3.1-70b`.
 * Never truncates names: `gpt-4o-mini-x` stays unknown rather than becoming `gpt-4o-mini`.
 */
export function normalizeModelId(id: string): string {
  return routeModelId(id)
    .replace(
      /(?:[-@](?:v\d+(?::\d+)?|latest|preview|beta|\d{8}|\d{4}-\d\d-\d\d|\d\d-\d\d(?:\d\d)?|\d{3})|:(?:\d+|thinking|beta))+$/,
      "",
    )
    .replace(/-(?:non-)?reasoning$/, "")
    .replace(/(^|[^\d.])(\d)-(\d)(?=-|$)/g, "$1$2.$3")
    .replace(/^claude-([\d.]+)-(opus|sonnet|haiku)/, "claude-$2-$1")
    .replace(/^(?:meta-)?llama-?(\d)/, "llama-$1")
    .replace(/^(llama-.+?)(?:-17b)?(?:-\d+e)?(?:-vision)?(?:-instruct)?$/, "$1");
}
