import type { ResolvedOptions } from "../core/options";
import { gzip } from "./gzip";

/** A batch keeps its encoded spans and, once built, its exact body (bytes = gzipped): retries are byte-identical. */
export interface Batch {
  spans: string[];
  body?: string | Uint8Array;
}

export type Outcome =
  | { ok: true; rejected: number; message?: string }
  | { retry: true; after?: number; reason: string }
  | { drop: "non_retryable" | "too_large"; reason: string };

/** Retry-After as ms: delta-seconds or an HTTP-date */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const ms = !header ? NaN : header.trim() && isFinite(+header) ? +header * 1000 : Date.parse(header) - now;
  return isFinite(ms) ? Math.max(0, ms) : undefined;
}

export async function buildBody(batch: Batch, envelope: [string, string]): Promise<void> {
  if (batch.body === undefined) {
    const text = envelope[0] + batch.spans.join(",") + envelope[1];
    batch.body = (text.length > 1024 && (await gzip(text))) || text;
  }
}

/** One POST of a batch; classifies the response per the OTLP spec. Never throws. */
export async function post(batch: Batch, options: ResolvedOptions, timeoutMs: number): Promise<Outcome> {
  try {
    // a user Authorization header (another OTLP backend's auth) replaces ours instead of being merged with it
    const headers = new Headers(options.headers);
    if (!headers.has("authorization")) headers.set("authorization", "Bearer " + options.apiKey);
    headers.set("content-type", "application/json");
    if (typeof batch.body != "string") headers.set("content-encoding", "gzip");
    const res = await options.fetch(options.tracesUrl + "/v1/traces", {
      method: "POST",
      headers,
      body: batch.body as BodyInit,
      // also bounds reading the response body; a timeout rejects with a TimeoutError
      signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
    });
    const status = res.status;
    let text = "";
    // every body is read (or cancelled) so runtimes never stall the connection
    try {
      text = await res.text();
    } catch {}
    if (res.ok) {
      let partial: any;
      try {
        partial = JSON.parse(text).partialSuccess;
      } catch {}
      return { ok: true, rejected: +partial?.rejectedSpans || 0, message: partial?.errorMessage || undefined };
    }
    const reason = `HTTP ${status}${text && ": " + text.slice(0, 200)}`;
    return [429, 502, 503, 504].includes(status)
      ? { retry: true, after: retryAfterMs(res.headers.get("retry-after")), reason }
      : { drop: status == 413 ? "too_large" : "non_retryable", reason };
  } catch (error) {
    return { retry: true, reason: String(error) };
  }
}

