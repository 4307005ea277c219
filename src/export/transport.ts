import type { ResolvedOptions } from "../core/options";
import { gzip } from "./gzip";

/** A batch keeps its encoded spans and, once built, its exact body: retries are byte-identical. */
export interface Batch {
  spans: string[];
  body?: string | Uint8Array;
  gzip?: boolean;
}

export type Outcome =
  | { ok: true; rejected: number; message?: string }
  | { retry: true; after?: number; reason: string }
  | { drop: "non_retryable" | "too_large"; reason: string };

/** Retry-After as ms: delta-seconds or an HTTP-date */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (header.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function buildBody(batch: Batch, envelope: [string, string]): Promise<void> {
  if (batch.body !== undefined) return;
  const text = envelope[0] + batch.spans.join(",") + envelope[1];
  const packed = text.length > 1024 ? await gzip(text) : undefined;
  batch.body = packed ?? text;
  batch.gzip = !!packed;
}

/** One POST of a batch; classifies the response per the OTLP spec. Never throws. */
export async function post(batch: Batch, options: ResolvedOptions, timeoutMs: number): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(1, timeoutMs));
  try {
    const headers: Record<string, string> = {
      ...options.headers,
      "content-type": "application/json",
      authorization: "Bearer " + options.apiKey,
    };
    if (batch.gzip) headers["content-encoding"] = "gzip";
    const res = await options.fetch(options.tracesUrl + "/v1/traces", {
      method: "POST",
      headers,
      body: batch.body as BodyInit,
      signal: controller.signal,
    });
    const status = res.status;
    let text = "";
    // every body is read (or cancelled) so runtimes never stall the connection
    try {
      text = await res.text();
    } catch {}
    if (status >= 200 && status < 300) {
      let rejected = 0;
      let message: string | undefined;
      try {
        const partial = text && JSON.parse(text).partialSuccess;
        rejected = Number(partial?.rejectedSpans) || 0;
        message = partial?.errorMessage || undefined;
      } catch {}
      return { ok: true, rejected, message };
    }
    const reason = `HTTP ${status}${text ? ": " + text.slice(0, 200) : ""}`;
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      return { retry: true, after: retryAfterMs(res.headers.get("retry-after")), reason };
    }
    return { drop: status === 413 ? "too_large" : "non_retryable", reason };
  } catch (error) {
    return { retry: true, reason: controller.signal.aborted ? `timeout after ${timeoutMs} ms` : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export { gzip };
