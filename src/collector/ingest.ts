// Stores decoded spans in one D1 batch (a transaction: a request is stored whole or not at all), ignoring spans
// already stored under the same (trace_id, span_id), then prunes the oldest traces past the retention limit.
import type { D1Database } from "./d1";
import type { Attributes, DecodedSpan } from "./otlp";
import { SPAN_COLUMNS, toSpanRow, type SpanRow } from "./span-row";

// rows travel as one JSON parameter per statement (json_each), kept well under D1's per-value size limit
const CHUNK_CHARS = 512 * 1024;

const INSERT_SPANS = `INSERT OR IGNORE INTO spans (${SPAN_COLUMNS.join(", ")})
  SELECT ${SPAN_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(", ")} FROM json_each(?1)`;

const INSERT_RESOURCES = `INSERT OR IGNORE INTO resources (id, service_name, attributes)
  SELECT json_extract(value, '$.id'), json_extract(value, '$.service_name'), json_extract(value, '$.attributes') FROM json_each(?1)`;

// deletes whole traces, oldest first, until at least ?1 spans are gone
const PRUNE = `DELETE FROM spans WHERE trace_id IN (
  SELECT trace_id FROM (
    SELECT trace_id, SUM(n) OVER (ORDER BY first_ms, trace_id ROWS UNBOUNDED PRECEDING) - n AS before
    FROM (SELECT trace_id, COUNT(*) AS n, MIN(start_ms) AS first_ms FROM spans GROUP BY trace_id)
  ) WHERE before < ?1
)`;

async function resourceId(attributes: Attributes): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(attributes)));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function chunks(rows: unknown[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (current.length > 0 && size + json.length > CHUNK_CHARS) {
      out.push(`[${current.join(",")}]`);
      current = [];
      size = 0;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(",")}]`);
  return out;
}

export interface StoreResult {
  /** spans written now (a resent span is not counted again) */
  inserted: number;
  /** spans deleted by retention */
  pruned: number;
}

export async function storeSpans(db: D1Database, spans: DecodedSpan[], maxSpans: number, now = Date.now()): Promise<StoreResult> {
  if (spans.length === 0) return { inserted: 0, pruned: 0 };
  const resources = new Map<Attributes, string>();
  const resourceRows = new Map<string, { id: string; service_name: string | null; attributes: string }>();
  const rows: SpanRow[] = [];
  for (const span of spans) {
    let id = resources.get(span.resource);
    if (id === undefined) {
      id = await resourceId(span.resource);
      resources.set(span.resource, id);
      const service = span.resource["service.name"];
      resourceRows.set(id, { id, service_name: typeof service === "string" ? service : null, attributes: JSON.stringify(span.resource) });
    }
    rows.push(toSpanRow(span, id, now));
  }
  const resourceStatements = chunks([...resourceRows.values()]).map((json) => db.prepare(INSERT_RESOURCES).bind(json));
  const spanStatements = chunks(rows).map((json) => db.prepare(INSERT_SPANS).bind(json));
  const results = await db.batch([...resourceStatements, ...spanStatements]);
  const inserted = results.slice(resourceStatements.length).reduce((n, r) => n + (r.meta?.changes ?? 0), 0);
  return { inserted, pruned: await prune(db, maxSpans) };
}

export async function prune(db: D1Database, maxSpans: number): Promise<number> {
  const row = await db.prepare("SELECT COUNT(*) AS n FROM spans").first<{ n: number }>();
  const excess = (row?.n ?? 0) - maxSpans;
  if (excess <= 0) return 0;
  const result = await db.prepare(PRUNE).bind(excess).run();
  return result.meta?.changes ?? 0;
}
