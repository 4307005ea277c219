import type { AttributeValue } from "./types";

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
  /** Injectable fetch (tests, Workers VPC, proxies) */
  fetch?: typeof fetch;
  /** Registers background work with the platform (e.g. `ctx.waitUntil.bind(ctx)`) */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Called with every export failure; isolated — if it throws nothing propagates */
  onError?: (error: unknown) => void;
  /** Extra or overriding model prices, USD per million tokens: `{ "my-model": { input: 1, output: 2 } }` */
  prices?: Record<string, unknown>;
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
  fetch: typeof fetch;
  waitUntil?: InitOptions["waitUntil"];
  onError?: InitOptions["onError"];
  prices?: Record<string, unknown>;
}

const NUMBERS = {
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
} as const;

function readEnv(env: Record<string, unknown> | undefined, name: string): string | undefined {
  try {
    const v = env?.[name] ?? (globalThis as any).process?.env?.[name];
    return typeof v === "string" && v ? v : undefined;
  } catch {
    return undefined;
  }
}

function url(value: unknown, name: string, fallback: string, problems: string[]): string {
  if (value === undefined) return fallback;
  try {
    const u = new URL(String(value));
    if (u.protocol === "http:" || u.protocol === "https:") return u.href.replace(/\/+$/, "");
  } catch {}
  problems.push(`${name} must be an http(s) URL like "https://traces.fallom.com" (got ${JSON.stringify(value)}); using ${fallback}`);
  return fallback;
}

/** Validates once; never throws — each problem is reported and replaced by its default. */
export function resolveOptions(input: InitOptions = {}, problems: string[] = []): ResolvedOptions {
  const o: InitOptions = input && typeof input === "object" ? input : {};
  if (o !== input) problems.push("init(options) expects an object, e.g. fallom.init({ apiKey })");
  const env = o.env;
  const base = readEnv(env, "FALLOM_BASE_URL") ?? o.baseUrl;
  const baseUrl = base === undefined ? undefined : url(base, "baseUrl", "https://traces.fallom.com", problems);
  const resolved = {
    apiKey: (typeof o.apiKey === "string" && o.apiKey) || readEnv(env, "FALLOM_API_KEY") || "",
    tracesUrl: url(o.tracesUrl, "tracesUrl", baseUrl ?? "https://traces.fallom.com", problems),
    configsUrl: url(o.configsUrl, "configsUrl", baseUrl ?? "https://configs.fallom.com", problems),
    promptsUrl: url(o.promptsUrl, "promptsUrl", baseUrl ?? "https://prompts.fallom.com", problems),
    headers: {} as Record<string, string>,
    captureContent: o.captureContent !== false && readEnv(env, "FALLOM_CAPTURE_CONTENT") !== "false",
    debug: !!o.debug || readEnv(env, "FALLOM_DEBUG") === "true",
    serviceName: typeof o.serviceName === "string" && o.serviceName ? o.serviceName : "fallom-app",
    environment: typeof o.environment === "string" && o.environment ? o.environment : undefined,
    sampleRate: 1,
    redact: typeof o.redact === "function" ? o.redact : undefined,
    fetch: typeof o.fetch === "function" ? o.fetch : (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
    waitUntil: typeof o.waitUntil === "function" ? o.waitUntil : undefined,
    onError: typeof o.onError === "function" ? o.onError : undefined,
    prices: o.prices && typeof o.prices === "object" ? o.prices : undefined,
  } as ResolvedOptions;
  if (o.headers !== undefined) {
    if (o.headers && typeof o.headers === "object") {
      for (const k in o.headers) if (typeof o.headers[k] === "string") resolved.headers[k] = o.headers[k];
    } else problems.push("headers must be an object of strings");
  }
  if (o.sampleRate !== undefined) {
    if (typeof o.sampleRate === "number" && o.sampleRate >= 0 && o.sampleRate <= 1) resolved.sampleRate = o.sampleRate;
    else problems.push(`sampleRate must be a number from 0 to 1 (got ${String(o.sampleRate)}); keeping every trace`);
  }
  for (const key in NUMBERS) {
    const [fallback, min] = NUMBERS[key as keyof typeof NUMBERS];
    const v = (o as any)[key];
    (resolved as any)[key] = fallback;
    if (v === undefined) continue;
    if (typeof v === "number" && Number.isFinite(v) && v >= min) (resolved as any)[key] = Math.floor(v);
    else problems.push(`${key} must be a number >= ${min} (got ${String(v)}); using ${fallback}`);
  }
  if (resolved.maxBatchSize > resolved.maxQueueSize) resolved.maxBatchSize = resolved.maxQueueSize;
  return resolved;
}
