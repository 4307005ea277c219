// Tiers: in-isolate memory → optional shared store (Workers KV interface) → origin. Whole snapshots are cached.
// Fresh for cacheTtlMs, then served stale while ONE background refresh runs (tracked by flush()), served stale on
// origin errors up to cacheMaxAgeMs; a 404 evicts. Cold lookups are single-flight per isolate, but no request ever
// awaits a promise another request created: followers poll memory on their own timers and take over when the
// leader is gone (Workers cancel a request's I/O when it ends).
import { track } from "../core/index";
import type { ConfigOptions } from "./settings";
import { md5Hex } from "./md5";
import { indexers } from "./snapshot";
import { validators, type ResourceKind } from "./validate";

export interface Entry {
  /** the origin's JSON, validated */
  body: unknown;
  /** lookup structure built from body */
  index: any;
  /** when the origin served it (epoch ms) */
  at: number;
  etag?: string;
}

interface Flight {
  started: number;
  /** when the last load failed: lookups don't pile onto a failing origin for FAILURE_BACKOFF_MS */
  failed?: number;
}

const FAILURE_BACKOFF_MS = 1000;
/** a leader not done this long after its own timeout has gone (its request ended) */
const LEADER_SLACK_MS = 100;

const memory = new Map<string, Entry>();
const flights = new Map<string, Flight>();
let owner: ConfigOptions | undefined;
let namespace = "";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reports a config/prompt problem to onError (isolated) and to the debug log. */
export function report(o: ConfigOptions, message: string, cause?: unknown): void {
  const error = new Error("[fallom] " + message + (cause === undefined ? "" : ": " + String((cause as Error)?.message ?? cause)));
  try {
    if (o.debug) console.debug(error.message);
    o.onError?.(error);
  } catch {}
}

// A new init (other key or URLs) starts from an empty memory tier; the store key is namespaced by the API key.
function scope(o: ConfigOptions): void {
  if (o !== owner) {
    owner = o;
    memory.clear();
    flights.clear();
    namespace = `fallom:v1:${md5Hex(o.apiKey).slice(0, 12)}:`;
  }
}

/** The snapshot at `url` when memory has a usable one (fresh, or stale: then one background refresh starts). Synchronous. */
export function peek(o: ConfigOptions, url: string, kind: ResourceKind): Entry | undefined {
  scope(o);
  const entry = memory.get(url);
  if (entry) {
    const age = Date.now() - entry.at;
    if (age < o.cacheTtlMs) return entry;
    if (age < o.cacheMaxAgeMs) {
      refresh(o, url, kind, entry);
      return entry;
    }
  }
}

/**
 * The snapshot at `url`, from the fastest tier that has it, or undefined when it is unavailable (origin down and
 * nothing cached, 404, malformed). Waits at most until `deadline` (epoch ms) when it is finite.
 */
export async function read(o: ConfigOptions, url: string, kind: ResourceKind, deadline: number): Promise<Entry | undefined> {
  return peek(o, url, kind) ?? load(o, url, kind, deadline);
}

/** Cold (or expired) lookup: follow a live leader by polling memory, else lead: store, then origin. */
async function load(o: ConfigOptions, url: string, kind: ResourceKind, deadline: number): Promise<Entry | undefined> {
  const stale = memory.get(url);
  for (let step = 1; ; step = Math.min(step * 2, 50)) {
    const entry = memory.get(url);
    if (entry !== stale) return entry;
    const flight = flights.get(url);
    const now = Date.now();
    if (flight?.failed !== undefined && now - flight.failed < FAILURE_BACKOFF_MS) return undefined;
    if (!flight || flight.failed !== undefined || now - flight.started > o.configTimeoutMs + LEADER_SLACK_MS) break;
    if (now >= deadline) return undefined;
    await sleep(Math.min(step, deadline - now));
  }
  const flight: Flight = { started: Date.now() };
  flights.set(url, flight);
  let entry: Entry | undefined;
  let failed = true;
  try {
    const stored = await fromStore(o, url, kind, deadline);
    if (stored && Date.now() - stored.at < o.cacheMaxAgeMs) {
      memory.set(url, stored);
      if (Date.now() - stored.at >= o.cacheTtlMs) {
        flights.delete(url);
        refresh(o, url, kind, stored);
        return stored;
      }
      [entry, failed] = [stored, false];
    } else [entry, failed] = await fromOrigin(o, url, kind, undefined, deadline);
  } finally {
    if (flights.get(url) === flight) {
      if (failed) flight.failed = Date.now();
      else flights.delete(url);
    }
  }
  return entry;
}

/** One background refresh per stale snapshot per isolate; registered with flush() and the platform's waitUntil. */
function refresh(o: ConfigOptions, url: string, kind: ResourceKind, stale: Entry): void {
  const now = Date.now();
  const flight = flights.get(url);
  if (flight && (flight.failed !== undefined ? now - flight.failed < FAILURE_BACKOFF_MS : now - flight.started <= o.configTimeoutMs + LEADER_SLACK_MS)) return;
  const mine: Flight = { started: now };
  flights.set(url, mine);
  track(
    fromOrigin(o, url, kind, stale, now + o.configTimeoutMs).then(([, failed, write]) => {
      if (flights.get(url) === mine) {
        if (failed) mine.failed = Date.now();
        else flights.delete(url);
      }
      // the store write/delete this refresh caused settles inside the refresh's own tracked promise
      return write;
    }),
  );
}

async function fromStore(o: ConfigOptions, url: string, kind: ResourceKind, deadline: number): Promise<Entry | undefined> {
  if (!o.cache) return;
  let timer: any;
  try {
    const record: any = await Promise.race([
      o.cache.get(namespace + url, "json"),
      new Promise((resolve) => (timer = setTimeout(resolve, Math.max(1, Math.min(o.configTimeoutMs, deadline - Date.now()))))),
    ]);
    if (record && typeof record.at == "number" && !validators[kind](record.body)) {
      return { body: record.body, index: indexers[kind](record.body), at: record.at, etag: record.etag };
    }
  } catch (error) {
    report(o, "cache read failed", error);
  } finally {
    clearTimeout(timer);
  }
}

// Background store write or delete: a failure is reported, never thrown into the request. Tracked by flush(); a
// background refresh also chains it into its own (tracked) promise, so a flush that began earlier still covers it.
function toStore(o: ConfigOptions, url: string, entry?: Entry): Promise<void> | undefined {
  const store = o.cache;
  if (!store) return;
  const key = namespace + url;
  const write = (async () => {
    try {
      if (entry) {
        const value = JSON.stringify({ at: entry.at, etag: entry.etag, body: entry.body });
        await store.put(key, value, { expirationTtl: Math.max(60, Math.ceil(o.cacheMaxAgeMs / 1000)) });
      } else await store.delete?.(key);
    } catch (error) {
      report(o, "cache write failed", error);
    }
  })();
  track(write);
  return write;
}

/** GET the origin (with If-None-Match); returns [entry to serve, failed, the store write or delete it started]. */
async function fromOrigin(
  o: ConfigOptions,
  url: string,
  kind: ResourceKind,
  stale: Entry | undefined,
  deadline: number,
): Promise<[Entry | undefined, boolean, Promise<void>?]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(1, Math.min(o.configTimeoutMs, deadline - Date.now())));
  const fallback: [Entry | undefined, boolean] = [stale && Date.now() - stale.at < o.cacheMaxAgeMs ? stale : undefined, true];
  try {
    const headers: Record<string, string> = { Authorization: "Bearer " + o.apiKey };
    if (stale?.etag) headers["If-None-Match"] = stale.etag;
    const response = await o.fetch(url, { headers, signal: controller.signal });
    if (response.status == 304 && stale) {
      response.body?.cancel().catch(() => {});
      return remember(o, url, { ...stale, at: Date.now() });
    }
    if (response.status == 404) {
      // the origin no longer has it: evict rather than serve it forever
      response.body?.cancel().catch(() => {});
      memory.delete(url);
      // counted as a failure for the backoff: concurrent lookups of a gone key don't each ask the origin again
      return [undefined, true, toStore(o, url)];
    }
    if (!response.ok) {
      response.body?.cancel().catch(() => {});
      report(o, `GET ${url}: HTTP ${response.status}; serving the last good snapshot`);
      return fallback;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      report(o, `GET ${url}: malformed JSON; serving the last good snapshot`, error);
      return fallback;
    }
    const problem = validators[kind](body);
    if (problem) {
      report(o, `GET ${url}: unexpected response (${problem}); serving the last good snapshot`);
      return fallback;
    }
    const etag = response.headers.get("etag") ?? undefined;
    return remember(o, url, { body, index: indexers[kind](body), at: Date.now(), etag });
  } catch (error) {
    report(o, `GET ${url} failed; serving the last good snapshot`, error);
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

function remember(o: ConfigOptions, url: string, entry: Entry): [Entry, boolean, Promise<void>?] {
  memory.set(url, entry);
  return [entry, false, toStore(o, url, entry)];
}

/** Test-only: forget every cached snapshot in this isolate. */
export function _resetConfigCache(): void {
  memory.clear();
  flights.clear();
  owner = undefined;
}
