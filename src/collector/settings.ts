// Collector settings: options given to createCollector() win, then the Worker's vars/secrets, then defaults.
import type { D1Database } from "./d1";
import type { Seed } from "./configs";

export interface CollectorOptions {
  /** Bearer key the SDK must send (else env COLLECTOR_API_KEY). Without one every ingest/config call gets 401. */
  apiKey?: string;
  /** Bearer key for /admin/* (else env COLLECTOR_ADMIN_KEY, else the apiKey). */
  adminKey?: string;
  /** Largest request body accepted, compressed and decompressed, in bytes (else env COLLECTOR_MAX_BODY_BYTES; default 4 MiB). */
  maxBodyBytes?: number;
  /** Retention: past this many stored spans the oldest traces are deleted (else env COLLECTOR_MAX_SPANS; default 100000). */
  maxSpans?: number;
  /** Configs, prompts and prompt A/B tests inserted when the database is first used (existing versions are kept). */
  seed?: Seed;
  /** When set (or env VIEWER_PASSWORD), the viewer and its JSON API ask for HTTP Basic auth with this password. */
  viewerPassword?: string;
}

export interface CollectorEnv {
  DB: D1Database;
  COLLECTOR_API_KEY?: string;
  COLLECTOR_ADMIN_KEY?: string;
  COLLECTOR_MAX_BODY_BYTES?: string;
  COLLECTOR_MAX_SPANS?: string;
  VIEWER_PASSWORD?: string;
}

export interface Settings {
  apiKey?: string;
  adminKey?: string;
  maxBodyBytes: number;
  maxSpans: number;
  viewerPassword?: string;
}

const positive = (v: unknown, fallback: number): number => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

export function resolveSettings(options: CollectorOptions, env: Partial<CollectorEnv> = {}): Settings {
  const apiKey = options.apiKey ?? (env.COLLECTOR_API_KEY || undefined);
  return {
    apiKey,
    adminKey: options.adminKey ?? (env.COLLECTOR_ADMIN_KEY || undefined) ?? apiKey,
    maxBodyBytes: positive(options.maxBodyBytes ?? env.COLLECTOR_MAX_BODY_BYTES, 4 * 1024 * 1024),
    maxSpans: positive(options.maxSpans ?? env.COLLECTOR_MAX_SPANS, 100_000),
    viewerPassword: options.viewerPassword ?? (env.VIEWER_PASSWORD || undefined),
  };
}
