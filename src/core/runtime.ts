const g = globalThis as any;

/** true on Cloudflare Workers, where clocks advance only across I/O */
export const isWorkers = (): boolean => g.navigator?.userAgent == "Cloudflare-Workers";

// Where we run decides whether a background timer may flush (long-lived servers) or must not be relied on (Workers, Vercel Edge).
export const isLongLived = (): boolean =>
  !g.EdgeRuntime && !isWorkers() && !!(g.Deno?.version || g.Bun || g.process?.versions?.node);

let contexts: symbol[] | undefined;

/** The request context of Vercel (`@vercel/request-context`) or `next start` (`@next/request-context`), when it has waitUntil. */
export function platformContext(): { waitUntil(p: Promise<unknown>): void } | undefined {
  // runs on every span end: symbols made once, and nothing more when neither global exists
  for (const symbol of (contexts ??= [Symbol.for("@vercel/request-context"), Symbol.for("@next/request-context")])) {
    const holder = g[symbol];
    if (!holder) continue;
    try {
      const ctx = holder.get?.();
      if (typeof ctx?.waitUntil == "function") return ctx;
    } catch {}
  }
}

/** Starts an unref'd interval that never keeps the process alive. */
export function startTimer(fn: () => void, ms: number): unknown {
  const id: any = setInterval(fn, ms);
  try {
    id.unref ? id.unref() : g.Deno?.unrefTimer?.(id);
  } catch {}
  return id;
}
