/** globalThis, untyped: runtime-specific globals are probed as properties */
export const g = globalThis as any;

/** true on Cloudflare Workers, where clocks advance only across I/O */
export const isWorkers = (): boolean => g.navigator?.userAgent == "Cloudflare-Workers";

// Where we run decides whether a background timer may flush (long-lived servers) or must not be relied on (Workers, Vercel Edge).
export const isLongLived = (): boolean =>
  !g.EdgeRuntime && !isWorkers() && !!(g.Deno?.version || g.Bun || g.process?.versions?.node);

let holders: any[] = [];
let lookups = 0;

/** Forgets the request-context globals found so far (init() looks again) */
export const resetPlatformContext = (): void => {
  holders = [];
  lookups = 0;
};

/** The request context of Vercel (`@vercel/request-context`) or `next start` (`@next/request-context`), when it has waitUntil. */
export const platformContext = (): { waitUntil(p: Promise<unknown>): void } | undefined => {
  // runs on every span end: while no holder is found, the globals are looked up again only every 32nd call
  if (!holders.length && !(lookups++ & 31)) holders = ["@vercel", "@next"].map((p) => g[Symbol.for(p + "/request-context")]).filter(Boolean);
  for (const holder of holders) {
    try {
      const ctx = holder.get?.();
      if (typeof ctx?.waitUntil == "function") return ctx;
    } catch {}
  }
};

/** Starts an unref'd interval that never keeps the process alive. */
export const startTimer = (fn: () => void, ms: number): unknown => {
  const id: any = setInterval(fn, ms);
  try {
    id.unref ? id.unref() : g.Deno?.unrefTimer?.(id);
  } catch {}
  return id;
};
