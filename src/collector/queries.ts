// What the viewer and its JSON API read: trace summaries (filtered), one trace's spans, per-session totals and
// A/B results. Tokens and cost are summed over LLM spans only, so an agent span repeating its children's totals
// is not counted twice.
import type { D1Database } from "./d1";

export interface TraceFilters {
  configKey?: string;
  session?: string;
  customer?: string;
  model?: string;
  /** a prompt key or a prompt A/B test key */
  prompt?: string;
  /** a variant index of a prompt A/B test or a model config */
  variant?: number;
  errors?: boolean;
  limit?: number;
}

export interface TraceSummary {
  traceId: string;
  name: string;
  type: string;
  startMs: number;
  durationMs: number;
  spans: number;
  llmCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftMs: number | null;
  sessionId: string | null;
  customerId: string | null;
  configKey: string | null;
  models: string[];
  /** the prompt (and A/B variant) its LLM calls used */
  prompt: string | null;
  promptVariant: number | null;
  toolCalls: number;
  service: string | null;
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  type: string;
  startNs: string;
  endNs: string;
  startMs: number;
  durationMs: number;
  status: { code: number; message: string | null };
  model: string | null;
  provider: string | null;
  tokens: { input: number | null; output: number | null; cacheRead: number | null; cacheWrite: number | null; reasoning: number | null };
  costUsd: number | null;
  ttftMs: number | null;
  sessionId: string | null;
  customerId: string | null;
  configKey: string | null;
  prompt: { key: string | null; version: number | null; abTest: string | null; variant: number | null };
  modelConfig: { key: string | null; version: number | null; variant: number | null };
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timeNs: string; attributes: Record<string, unknown> }>;
  resource: Record<string, unknown>;
  scope: { name: string | null; version: string | null };
}

export interface SessionSummary {
  sessionId: string;
  customerId: string | null;
  configKey: string | null;
  /** the models and prompts its LLM calls used (comma-separated) */
  models: string | null;
  prompts: string | null;
  traces: number;
  llmCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  firstMs: number;
  lastMs: number;
}

export interface AbRow {
  kind: "model" | "prompt";
  key: string;
  variant: number | null;
  /** the model (model configs) or the prompt key (prompt A/B tests) this variant resolved to */
  value: string | null;
  calls: number;
  sessions: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

function where(f: TraceFilters): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (f.configKey) add("(config_key = ? OR model_config_key = ?)", f.configKey, f.configKey);
  if (f.session) add("session_id = ?", f.session);
  if (f.customer) add("customer_id = ?", f.customer);
  if (f.model) add("model = ?", f.model);
  if (f.prompt) add("(prompt_key = ? OR prompt_ab_test = ?)", f.prompt, f.prompt);
  if (f.variant !== undefined) add("(prompt_variant = ? OR model_config_variant = ?)", f.variant, f.variant);
  if (f.errors) parts.push("status_code = 2");
  return { sql: parts.length ? parts.join(" AND ") : "1 = 1", params };
}

const TRACE_SUMMARY = `
  SELECT s.trace_id AS traceId,
    COALESCE(MAX(CASE WHEN s.parent_span_id IS NULL THEN s.name END), MIN(s.name)) AS name,
    COALESCE(MAX(CASE WHEN s.parent_span_id IS NULL THEN s.type END), 'custom') AS type,
    MIN(s.start_ms) AS startMs,
    MAX(s.start_ms + s.duration_ms) - MIN(s.start_ms) AS durationMs,
    COUNT(*) AS spans,
    SUM(s.type = 'llm') AS llmCalls,
    SUM(s.status_code = 2) AS errors,
    COALESCE(SUM(CASE WHEN s.type = 'llm' THEN s.input_tokens END), 0) AS inputTokens,
    COALESCE(SUM(CASE WHEN s.type = 'llm' THEN s.output_tokens END), 0) AS outputTokens,
    SUM(CASE WHEN s.type = 'llm' THEN s.cost_usd END) AS costUsd,
    MIN(s.ttft_ms) AS ttftMs,
    MAX(s.session_id) AS sessionId,
    MAX(s.customer_id) AS customerId,
    COALESCE(MAX(s.config_key), MAX(s.model_config_key)) AS configKey,
    GROUP_CONCAT(DISTINCT s.model) AS models,
    MAX(s.prompt_key) AS prompt,
    MAX(s.prompt_variant) AS promptVariant,
    SUM(s.type = 'tool') AS toolCalls,
    MAX(s.service_name) AS service
  FROM spans s`;

type SummaryRow = Omit<TraceSummary, "models"> & { models: string | null };
const toSummary = (r: SummaryRow): TraceSummary => ({ ...r, models: r.models ? r.models.split(",") : [] });

/** Trace summaries, newest first; a trace matches when any of its spans matches every filter. */
export async function listTraces(db: D1Database, f: TraceFilters = {}): Promise<TraceSummary[]> {
  const w = where(f);
  const limit = Math.min(Math.max(Math.floor(f.limit ?? 200), 1), 1000);
  const { results } = await db
    .prepare(`${TRACE_SUMMARY} WHERE s.trace_id IN (SELECT trace_id FROM spans WHERE ${w.sql}) GROUP BY s.trace_id ORDER BY startMs DESC LIMIT ${limit}`)
    .bind(...w.params)
    .all<SummaryRow>();
  return results.map(toSummary);
}

type SpanDbRow = Record<string, any>;

function toStoredSpan(r: SpanDbRow): StoredSpan {
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    name: r.name,
    kind: r.kind,
    type: r.type,
    startNs: r.start_ns,
    endNs: r.end_ns,
    startMs: r.start_ms,
    durationMs: r.duration_ms,
    status: { code: r.status_code, message: r.status_message },
    model: r.model,
    provider: r.provider,
    tokens: { input: r.input_tokens, output: r.output_tokens, cacheRead: r.cache_read_tokens, cacheWrite: r.cache_write_tokens, reasoning: r.reasoning_tokens },
    costUsd: r.cost_usd,
    ttftMs: r.ttft_ms,
    sessionId: r.session_id,
    customerId: r.customer_id,
    configKey: r.config_key,
    prompt: { key: r.prompt_key, version: r.prompt_version, abTest: r.prompt_ab_test, variant: r.prompt_variant },
    modelConfig: { key: r.model_config_key, version: r.model_config_version, variant: r.model_config_variant },
    attributes: JSON.parse(r.attributes),
    events: JSON.parse(r.events),
    resource: r.resource ? JSON.parse(r.resource) : {},
    scope: { name: r.scope_name, version: r.scope_version },
  };
}

export interface TraceDetail {
  summary: TraceSummary;
  spans: StoredSpan[];
}

export async function getTrace(db: D1Database, traceId: string): Promise<TraceDetail | undefined> {
  const id = traceId.toLowerCase();
  const [summary, spans] = await db.batch([
    db.prepare(`${TRACE_SUMMARY} WHERE s.trace_id = ?1 GROUP BY s.trace_id`).bind(id),
    db.prepare("SELECT s.*, r.attributes AS resource FROM spans s LEFT JOIN resources r ON r.id = s.resource_id WHERE s.trace_id = ?1 ORDER BY s.start_ms, s.start_ns").bind(id),
  ]);
  const row = summary?.results[0] as SummaryRow | undefined;
  if (!row) return undefined;
  return { summary: toSummary(row), spans: (spans?.results ?? []).map((r) => toStoredSpan(r as SpanDbRow)) };
}

/** Per session (a trace belongs to the session any of its spans names), newest activity first. */
export async function listSessions(db: D1Database, limit = 200): Promise<SessionSummary[]> {
  const { results } = await db
    .prepare(
      `WITH t AS (
        SELECT trace_id, MAX(session_id) AS sid, MAX(customer_id) AS cid, COALESCE(MAX(config_key), MAX(model_config_key)) AS ck
        FROM spans GROUP BY trace_id HAVING sid IS NOT NULL
      )
      SELECT t.sid AS sessionId, MAX(t.cid) AS customerId, MAX(t.ck) AS configKey,
        GROUP_CONCAT(DISTINCT s.model) AS models, GROUP_CONCAT(DISTINCT s.prompt_key) AS prompts,
        COUNT(DISTINCT s.trace_id) AS traces, SUM(s.type = 'llm') AS llmCalls, SUM(s.status_code = 2) AS errors,
        COALESCE(SUM(CASE WHEN s.type = 'llm' THEN s.input_tokens END), 0) AS inputTokens,
        COALESCE(SUM(CASE WHEN s.type = 'llm' THEN s.output_tokens END), 0) AS outputTokens,
        SUM(CASE WHEN s.type = 'llm' THEN s.cost_usd END) AS costUsd,
        MIN(s.start_ms) AS firstMs, MAX(s.start_ms + s.duration_ms) AS lastMs
      FROM spans s JOIN t ON t.trace_id = s.trace_id GROUP BY t.sid ORDER BY lastMs DESC LIMIT ?1`,
    )
    .bind(Math.min(Math.max(Math.floor(limit), 1), 1000))
    .all<SessionSummary>();
  return results;
}

/** The value at quantile q (nearest rank) of ascending numbers. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Per variant of each model config and prompt A/B test: LLM calls, sessions, tokens, cost, errors, latency p50/p95. */
export async function abResults(db: D1Database): Promise<AbRow[]> {
  const { results } = await db
    .prepare(
      // an LLM call inherits the A/B facts another span of its trace carries (e.g. the request span)
      `WITH t AS (
        SELECT trace_id, MAX(session_id) AS sid, MAX(model_config_key) AS mck, MAX(model_config_variant) AS mcv,
          MAX(prompt_ab_test) AS pab, MAX(prompt_variant) AS pv, MAX(prompt_key) AS pk
        FROM spans GROUP BY trace_id
      ), calls AS (
        SELECT s.*, t.sid, COALESCE(s.model_config_key, t.mck) AS mc_key, COALESCE(s.model_config_variant, t.mcv) AS mc_variant,
          COALESCE(s.prompt_ab_test, t.pab) AS ab_key, COALESCE(s.prompt_variant, t.pv) AS ab_variant, COALESCE(s.prompt_key, t.pk) AS ab_prompt
        FROM spans s JOIN t ON t.trace_id = s.trace_id WHERE s.type = 'llm'
      )
      SELECT 'model' AS kind, mc_key AS key, mc_variant AS variant, model AS value, sid AS session_id, input_tokens, output_tokens, cost_usd, status_code, duration_ms
        FROM calls WHERE mc_key IS NOT NULL
      UNION ALL
      SELECT 'prompt', ab_key, ab_variant, ab_prompt, sid, input_tokens, output_tokens, cost_usd, status_code, duration_ms
        FROM calls WHERE ab_key IS NOT NULL`,
    )
    .all<{ kind: "model" | "prompt"; key: string; variant: number | null; value: string | null; session_id: string | null; input_tokens: number | null; output_tokens: number | null; cost_usd: number | null; status_code: number; duration_ms: number }>();
  const groups = new Map<string, { row: AbRow; sessions: Set<string>; durations: number[]; values: Set<string> }>();
  for (const r of results) {
    const id = `${r.kind}\u0000${r.key}\u0000${r.variant}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        row: { kind: r.kind, key: r.key, variant: r.variant, value: null, calls: 0, sessions: 0, inputTokens: 0, outputTokens: 0, costUsd: null, errors: 0, p50Ms: null, p95Ms: null },
        sessions: new Set(),
        durations: [],
        values: new Set(),
      };
      groups.set(id, g);
    }
    g.row.calls++;
    if (r.session_id) g.sessions.add(r.session_id);
    if (r.value) g.values.add(r.value);
    g.row.inputTokens += r.input_tokens ?? 0;
    g.row.outputTokens += r.output_tokens ?? 0;
    if (r.cost_usd !== null) g.row.costUsd = (g.row.costUsd ?? 0) + r.cost_usd;
    if (r.status_code === 2) g.row.errors++;
    g.durations.push(r.duration_ms);
  }
  return [...groups.values()]
    .map(({ row, sessions, durations, values }) => {
      durations.sort((a, b) => a - b);
      return { ...row, value: [...values].join(", ") || null, sessions: sessions.size, p50Ms: quantile(durations, 0.5), p95Ms: quantile(durations, 0.95) };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key) || (a.variant ?? -1) - (b.variant ?? -1));
}

/** Distinct values for the viewer's filter menus. */
export async function facets(db: D1Database): Promise<{ configKeys: string[]; models: string[]; prompts: string[]; customers: string[] }> {
  const col = async (sql: string) => (await db.prepare(sql).all<{ v: string }>()).results.map((r) => r.v);
  const [configKeys, models, prompts, customers] = await Promise.all([
    col("SELECT DISTINCT v FROM (SELECT config_key AS v FROM spans UNION SELECT model_config_key FROM spans) WHERE v IS NOT NULL ORDER BY v"),
    col("SELECT DISTINCT model AS v FROM spans WHERE model IS NOT NULL ORDER BY v LIMIT 100"),
    col("SELECT DISTINCT v FROM (SELECT prompt_key AS v FROM spans UNION SELECT prompt_ab_test FROM spans) WHERE v IS NOT NULL ORDER BY v"),
    col("SELECT DISTINCT customer_id AS v FROM spans WHERE customer_id IS NOT NULL ORDER BY v LIMIT 100"),
  ]);
  return { configKeys, models, prompts, customers };
}

export interface Totals {
  traces: number;
  spans: number;
  sessions: number;
  llmCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

/** Everything stored, in one row: counts, LLM tokens and cost, and time to first token over streamed LLM calls. */
export async function totals(db: D1Database): Promise<Totals> {
  const [sums, ttfts] = await db.batch([
    db.prepare(
      `SELECT COUNT(DISTINCT trace_id) AS traces, COUNT(*) AS spans, COUNT(DISTINCT session_id) AS sessions,
        COALESCE(SUM(type = 'llm'), 0) AS llmCalls, COALESCE(SUM(status_code = 2), 0) AS errors,
        COALESCE(SUM(CASE WHEN type = 'llm' THEN input_tokens END), 0) AS inputTokens,
        COALESCE(SUM(CASE WHEN type = 'llm' THEN output_tokens END), 0) AS outputTokens,
        SUM(CASE WHEN type = 'llm' THEN cost_usd END) AS costUsd FROM spans`,
    ),
    db.prepare("SELECT ttft_ms AS v FROM spans WHERE type = 'llm' AND ttft_ms IS NOT NULL ORDER BY ttft_ms"),
  ]);
  const sorted = (ttfts?.results ?? []).map((r) => (r as { v: number }).v);
  return { ...(sums?.results[0] as Omit<Totals, "ttftP50Ms" | "ttftP95Ms">), ttftP50Ms: quantile(sorted, 0.5), ttftP95Ms: quantile(sorted, 0.95) };
}
