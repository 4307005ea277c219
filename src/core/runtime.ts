// Where we run decides whether a background timer may flush (long-lived servers) or must not be relied on (Workers, Vercel Edge).
export function isLongLived(): boolean {
  const g = globalThis as any;
  if (typeof g.EdgeRuntime === "string") return false;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return false;
  return !!(g.Deno?.version || g.Bun || g.process?.versions?.node);
}

/** true on Cloudflare Workers, where clocks advance only across I/O */
export const isWorkers = (): boolean => (globalThis as any).navigator?.userAgent === "Cloudflare-Workers";

/** The request context of Vercel (`@vercel/request-context`) or `next start` (`@next/request-context`), when it has waitUntil. */
export function platformContext(): { waitUntil(p: Promise<unknown>): void } | undefined {
  const g = globalThis as any;
  for (const name of ["@vercel/request-context", "@next/request-context"]) {
    try {
      const ctx = g[Symbol.for(name)]?.get?.();
      if (typeof ctx?.waitUntil === "function") return ctx;
    } catch {}
  }
}

/** Starts an unref'd interval that never keeps the process alive. */
export function startTimer(fn: () => void, ms: number): unknown {
  const g = globalThis as any;
  const id: any = setInterval(fn, ms);
  try {
    if (typeof id === "object" && id?.unref) id.unref();
    else if (g.Deno?.unrefTimer) g.Deno.unrefTimer(id);
  } catch {}
  return id;
}
