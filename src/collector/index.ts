// `@fallom/trace/collector`: a self-hostable, Fallom-compatible backend for development (OTLP/HTTP JSON ingest,
// config/prompt API, trace viewer) as a Hono app for Cloudflare Workers with D1. Deploy it with
// worker-example/collector/wrangler.toml, or mount `createCollector()` in your own Worker.
export { createCollector } from "./app";
export type { CollectorEnv, CollectorOptions } from "./settings";
export type { Config, ModelVariant, Prompt, PromptAbTest, Seed } from "./configs";
export type { D1Database } from "./d1";
export type { AbRow, SessionSummary, StoredSpan, Totals, TraceDetail, TraceFilters, TraceSummary } from "./queries";
