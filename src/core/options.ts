import { g } from "./runtime";
import type { Span } from "./span";
import type { AttributeValue } from "./types";

/** A shared store for config/prompt snapshots, with the Workers KV binding's interface (a KV namespace works as is). */
export interface CacheStore {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<unknown>;
  delete?(key: string): Promise<unknown>;
}

/** A backend profile: edits a span's exported attributes in place, before redaction (e.g. `langfuse` from `@fallom/trace/langfuse`). */
export type ExportProfile = (attributes: Map<string, AttributeValue>, span: Span) => void;

/** Inline media (base64 / binary) of a captured prompt, handed to `uploadAttachment` */
export interface Attachment {
  data: Uint8Array;
  mediaType: string;
  byteLength: number;
}

export interface InitOptions {
  /** Fallom API key; else `env.FALLOM_API_KEY`, else `process.env.FALLOM_API_KEY`. Without one the SDK is disabled: no network, no throw. */
  apiKey?: string;
  /** Workers bindings / any env-like object to read `FALLOM_*` settings from */
  env?: Record<string, unknown>;
  /** One host for traces, configs and prompts (e.g. a local collector) */
  baseUrl?: string;
  /** @default "https://traces.fallom.com" — spans go to `{tracesUrl}/v1/traces` */
  tracesUrl?: string;
  configsUrl?: string;
  promptsUrl?: string;
  /** Extra headers on every export request */
  headers?: Record<string, string>;
  /** Record prompts, completions, tool arguments/results and messages. @default true */
  captureContent?: boolean;
  /**
   * Stores inline media of captured content (base64 / binary images, audio, files) and returns its URL: the part is
   * recorded as a `uri` part instead of the `blob_omitted` placeholder. Called in the background on the request that
   * made the call; the flush waits for it (up to its deadline). Throwing, rejecting or no URL: the placeholder (errors go to onError).
   */
  uploadAttachment?: (attachment: Attachment) => Promise<string | undefined> | string | undefined;
  /** Log SDK activity with console.debug. @default false */
  debug?: boolean;
  /** @default "fallom-app" */
  serviceName?: string;
  /** `deployment.environment.name` */
  environment?: string;
  /** Fraction of traces kept, decided from the traceId. @default 1 */
  sampleRate?: number;
  /** Runs last on every attribute at export; return undefined to drop it. If it throws the value is replaced by "[REDACTED]". */
  redact?: (key: string, value: AttributeValue) => AttributeValue | undefined;
  /** Adds what one backend needs beyond the standard attributes, e.g. `profile: langfuse` (`@fallom/trace/langfuse`). Off by default. */
  profile?: ExportProfile;
  /** Spans buffered before the oldest are dropped. @default 2048 */
  maxQueueSize?: number;
  /** Spans per export request. @default 512 */
  maxBatchSize?: number;
  /** Uncompressed bytes per export request. @default 1048576 */
  maxBatchBytes?: number;
  /** Characters per string attribute before truncation. @default 32768 */
  maxAttributeLength?: number;
  /** Attributes per span. @default 128 */
  maxAttributes?: number;
  /** Upper bound for `flush()`. @default 25000 (Cloudflare allows 30 s of waitUntil) */
  flushTimeoutMs?: number;
  /** Per export attempt. @default 10000 */
  exportTimeoutMs?: number;
  /** Retries per batch for 429/502/503/504/network errors. @default 5 */
  maxRetries?: number;
  /** First backoff step; later ones double, with full jitter. @default 500 */
  retryBaseMs?: number;
  /** Background export period on long-lived runtimes (Node, Bun, Deno); 0 disables. @default 5000 */
  flushIntervalMs?: number;
  /** Node, Bun, Deno: export spans still queued when the process is about to exit (once, bounded by flushTimeoutMs). @default true */
  flushOnExit?: boolean;
  /** Injectable fetch (tests, Workers VPC, proxies) */
  fetch?: typeof fetch;
  /** Registers background work with the platform (e.g. `ctx.waitUntil.bind(ctx)`) */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Called with every export failure; isolated — if it throws nothing propagates */
  onError?: (error: unknown) => void;
  /** Extra or overriding model prices, USD per million tokens: `{ "my-model": { input: 1, output: 2 } }` */
  prices?: Record<string, unknown>;
  /** Shared store for config/prompt snapshots (a Workers KV namespace, or a store from `@fallom/trace/adapters`) */
  cache?: CacheStore;
  /** Config/prompt snapshots are fresh this long, then served stale while one background refresh runs. @default 30000 */
  cacheTtlMs?: number;
  /** Stale snapshots are served on origin errors up to this age. @default 86400000 (24 h) */
  cacheMaxAgeMs?: number;
  /** Per config/prompt origin request; also the longest a lookup with a `fallback` waits. @default 2000 */
  configTimeoutMs?: number;
}

export interface ResolvedOptions {
  apiKey: string;
  tracesUrl: string;
  configsUrl: string;
  promptsUrl: string;
  headers: Record<string, string>;
  captureContent: boolean;
  debug: boolean;
  serviceName: string;
  environment?: string;
  sampleRate: number;
  redact?: InitOptions["redact"];
  profile?: ExportProfile;
  maxQueueSize: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  maxAttributeLength: number;
  maxAttributes: number;
  flushTimeoutMs: number;
  exportTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  flushIntervalMs: number;
  flushOnExit: boolean;
  fetch: typeof fetch;
  waitUntil?: InitOptions["waitUntil"];
  onError?: InitOptions["onError"];
  prices?: Record<string, unknown>;
  uploadAttachment?: InitOptions["uploadAttachment"];
  /** what init() was given (options read by the config/prompt module, which validates them itself) */
  input: InitOptions;
}

// name: [default, minimum, maximum]; all but sampleRate are whole numbers
const NUMBERS: Record<string, number[]> = {
  sampleRate: [1, 0, 1],
  maxQueueSize: [2048, 1],
  maxBatchSize: [512, 1],
  maxBatchBytes: [1048576, 1024],
  maxAttributeLength: [32768, 16],
  maxAttributes: [128, 1],
  flushTimeoutMs: [25000, 0],
  exportTimeoutMs: [10000, 1],
  maxRetries: [5, 0],
  retryBaseMs: [500, 0],
  flushIntervalMs: [5000, 0],
};

// value when it is a truthy `kind` (non-empty string, function, non-null object), else undefined
const is = (value: unknown, kind: string): any => (value && typeof value == kind ? value : undefined);

/** Validates once; never throws — each problem is reported and replaced by its default. */
export const resolveOptions = (input?: InitOptions, report: (problem: string) => void = () => {}): ResolvedOptions => {
  const bad = (name: string, want: string, value: unknown, used: unknown) =>
    report(`${name} must be ${want} (got ${typeof value == "string" ? JSON.stringify(value) : String(value)}); using ${used}`);
  const o: any = is(input, "object") || (input !== undefined && bad("init(options)", "an object", input, "defaults"), {});
  // FALLOM_<name> from the env option, else process.env
  const env = (name: string) => {
    try {
      name = "FALLOM_" + name;
      return is(o.env?.[name] ?? g.process?.env?.[name], "string");
    } catch {}
  };
  const url = (name: string, value: unknown, fallback?: string) => {
    if (value !== undefined) {
      try {
        const href = /^https?:.*?(?=\/*$)/.exec(new URL(value as string).href);
        if (href) return href[0];
      } catch {}
      bad(name, "an http(s) URL", value, fallback ?? "the defaults");
    }
    return fallback;
  };
  const baseUrl = url("baseUrl", o.baseUrl ?? env("BASE_URL"));
  const headers = o.headers;
  const r: any = {
    apiKey: is(o.apiKey, "string") || env("API_KEY") || "",
    headers: {},
    captureContent: o.captureContent !== false && env("CAPTURE_CONTENT") != "false",
    debug: !!o.debug || env("DEBUG") == "true",
    flushOnExit: o.flushOnExit !== false,
    serviceName: is(o.serviceName, "string") || "fallom-app",
    environment: is(o.environment, "string"),
    redact: is(o.redact, "function"),
    profile: is(o.profile, "function"),
    fetch: is(o.fetch, "function") ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    waitUntil: is(o.waitUntil, "function"),
    onError: is(o.onError, "function"),
    prices: is(o.prices, "object"),
    uploadAttachment: is(o.uploadAttachment, "function"),
    input: o,
  };
  for (const host of ["traces", "configs", "prompts"]) r[host + "Url"] = url(host + "Url", o[host + "Url"], baseUrl ?? `https://${host}.fallom.com`);
  if (is(headers, "object")) {
    for (const k in headers) if (typeof headers[k] == "string") r.headers[k] = headers[k];
  } else if (headers !== undefined) bad("headers", "an object of strings", headers, "{}");
  for (const key in NUMBERS) {
    const [fallback, min, max] = NUMBERS[key]!;
    const v = o[key];
    const ok = typeof v == "number" && v >= min && v <= (max ?? 1e300);
    // a bounded number (sampleRate) keeps its fraction; counts and durations are whole
    r[key] = !ok ? fallback : max ? v : Math.floor(v);
    if (!ok && v !== undefined) bad(key, max ? `a number from ${min} to ${max}` : "a number >= " + min, v, fallback);
  }
  r.maxBatchSize = Math.min(r.maxBatchSize, r.maxQueueSize);
  return r;
};
