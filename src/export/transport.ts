/** A batch: its encoded spans and, once built, its exact body (bytes = gzipped), so retries are byte-identical. */
export type Batch = string[] & { body?: string | ArrayBuffer };

/** Retry-After as ms: delta-seconds or an HTTP-date */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const ms = header?.trim() && isFinite(+header) ? +header * 1000 : Date.parse(header!) - now;
  return isFinite(ms) ? Math.max(0, ms) : undefined;
}
