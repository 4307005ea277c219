// The collector's D1 schema. Applied by the collector itself (CREATE … IF NOT EXISTS, once per isolate), so
// neither `wrangler dev` nor `wrangler deploy` needs a migration step.
import type { D1Database } from "./d1";

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY,
    service_name TEXT,
    attributes TEXT NOT NULL
  )`,
  // one row per (trace_id, span_id): a resent batch is ignored, never duplicated
  `CREATE TABLE IF NOT EXISTS spans (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT,
    name TEXT NOT NULL,
    kind INTEGER NOT NULL,
    start_ns TEXT NOT NULL,
    end_ns TEXT NOT NULL,
    start_ms REAL NOT NULL,
    duration_ms REAL NOT NULL,
    status_code INTEGER NOT NULL,
    status_message TEXT,
    resource_id TEXT,
    scope_name TEXT,
    scope_version TEXT,
    attributes TEXT NOT NULL,
    events TEXT NOT NULL,
    links TEXT NOT NULL,
    type TEXT NOT NULL,
    service_name TEXT,
    session_id TEXT,
    customer_id TEXT,
    config_key TEXT,
    model TEXT,
    provider TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_usd REAL,
    ttft_ms REAL,
    prompt_key TEXT,
    prompt_version INTEGER,
    prompt_ab_test TEXT,
    prompt_variant INTEGER,
    model_config_key TEXT,
    model_config_version INTEGER,
    model_config_variant INTEGER,
    received_at REAL NOT NULL,
    PRIMARY KEY (trace_id, span_id)
  )`,
  `CREATE INDEX IF NOT EXISTS spans_by_start ON spans (start_ms)`,
  `CREATE INDEX IF NOT EXISTS spans_by_session ON spans (session_id)`,
  `CREATE INDEX IF NOT EXISTS spans_by_ab ON spans (model_config_key, prompt_ab_test)`,
  `CREATE TABLE IF NOT EXISTS configs (
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (key, version)
  )`,
  `CREATE TABLE IF NOT EXISTS prompts (
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    system_prompt TEXT NOT NULL,
    user_template TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (key, version)
  )`,
  `CREATE TABLE IF NOT EXISTS prompt_ab_tests (
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    variants TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (key, version)
  )`,
  `CREATE TABLE IF NOT EXISTS session_assignments (
    config_key TEXT NOT NULL,
    config_version INTEGER,
    session_id TEXT NOT NULL,
    assigned_model TEXT NOT NULL,
    received_at REAL NOT NULL,
    PRIMARY KEY (config_key, session_id)
  )`,
];

// A flag, not a shared promise: on Workers one request must never await I/O started by another request.
const ready = new WeakSet<D1Database>();

/** Creates the tables (and runs `afterCreate`, e.g. seeding) until one request has done so in this isolate. */
export async function ensureSchema(db: D1Database, afterCreate?: () => Promise<void>): Promise<void> {
  if (ready.has(db)) return;
  await db.batch(SCHEMA.map((sql) => db.prepare(sql)));
  await afterCreate?.();
  ready.add(db);
}
