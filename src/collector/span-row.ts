// One stored row per span: the exact OTLP data (ids, ns times, attributes, events as JSON) plus the columns the
// viewer filters and sums on, read from the attribute names of docs/wire-format.md (GenAI semconv + fallom.*).
import type { Attributes, DecodedSpan } from "./otlp";

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  start_ns: string;
  end_ns: string;
  start_ms: number;
  duration_ms: number;
  status_code: number;
  status_message: string | null;
  resource_id: string;
  scope_name: string | null;
  scope_version: string | null;
  attributes: string;
  events: string;
  links: string;
  type: string;
  service_name: string | null;
  session_id: string | null;
  customer_id: string | null;
  config_key: string | null;
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  ttft_ms: number | null;
  prompt_key: string | null;
  prompt_version: number | null;
  prompt_ab_test: string | null;
  prompt_variant: number | null;
  model_config_key: string | null;
  model_config_version: number | null;
  model_config_variant: number | null;
  received_at: number;
}

export const SPAN_COLUMNS: Array<keyof SpanRow> = [
  "trace_id", "span_id", "parent_span_id", "name", "kind", "start_ns", "end_ns", "start_ms", "duration_ms",
  "status_code", "status_message", "resource_id", "scope_name", "scope_version", "attributes", "events", "links",
  "type", "service_name", "session_id", "customer_id", "config_key", "model", "provider",
  "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd", "ttft_ms",
  "prompt_key", "prompt_version", "prompt_ab_test", "prompt_variant",
  "model_config_key", "model_config_version", "model_config_variant", "received_at",
];

const str = (a: Attributes, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = a[k];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return null;
};

const num = (a: Attributes, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = a[k];
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
};

const LLM_OPERATIONS = new Set(["chat", "text_completion", "generate_content", "embeddings"]);

/** fallom.span.type when sent; otherwise inferred from the GenAI operation (for other producers' spans). */
function spanType(a: Attributes, kind: number): string {
  const declared = str(a, "fallom.span.type");
  if (declared) return declared;
  const op = str(a, "gen_ai.operation.name");
  if (op && LLM_OPERATIONS.has(op)) return "llm";
  if (op === "execute_tool") return "tool";
  if (op === "invoke_agent" || op === "create_agent") return "agent";
  if (kind === 2) return "http";
  return "custom";
}

/** ns decimal string → ms since epoch (float; exact ns stay in start_ns/end_ns). */
const nsToMs = (ns: string) => Number(BigInt(ns) / 1000n) / 1000;

export function toSpanRow(span: DecodedSpan, resourceId: string, receivedAt: number): SpanRow {
  const a = span.attributes;
  const startMs = nsToMs(span.startNs);
  const ttftSeconds = num(a, "gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token");
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    start_ns: span.startNs,
    end_ns: span.endNs,
    start_ms: startMs,
    duration_ms: Number(BigInt(span.endNs) - BigInt(span.startNs)) / 1e6,
    status_code: span.statusCode,
    status_message: span.statusMessage,
    resource_id: resourceId,
    scope_name: span.scope.name,
    scope_version: span.scope.version,
    attributes: JSON.stringify(a),
    events: JSON.stringify(span.events),
    links: JSON.stringify(span.links),
    type: spanType(a, span.kind),
    service_name: str(span.resource, "service.name"),
    session_id: str(a, "session.id", "gen_ai.conversation.id"),
    customer_id: str(a, "user.id"),
    config_key: str(a, "fallom.config_key"),
    model: str(a, "gen_ai.response.model", "gen_ai.request.model"),
    provider: str(a, "gen_ai.provider.name", "gen_ai.system"),
    input_tokens: num(a, "gen_ai.usage.input_tokens"),
    output_tokens: num(a, "gen_ai.usage.output_tokens"),
    cache_read_tokens: num(a, "gen_ai.usage.cache_read.input_tokens"),
    cache_write_tokens: num(a, "gen_ai.usage.cache_creation.input_tokens"),
    reasoning_tokens: num(a, "gen_ai.usage.reasoning.output_tokens"),
    cost_usd: num(a, "fallom.cost.total_usd"),
    ttft_ms: ttftSeconds === null ? null : ttftSeconds * 1000,
    prompt_key: str(a, "gen_ai.prompt.name"),
    prompt_version: num(a, "fallom.prompt.version"),
    prompt_ab_test: str(a, "fallom.prompt.ab_test_key"),
    prompt_variant: num(a, "fallom.prompt.variant_index"),
    model_config_key: str(a, "fallom.model_config.key"),
    model_config_version: num(a, "fallom.model_config.version"),
    model_config_variant: num(a, "fallom.model_config.variant_index"),
    received_at: receivedAt,
  };
}
