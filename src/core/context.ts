// Implicit span nesting through AsyncLocalStorage when the runtime has one; explicit parents work everywhere.
interface Als<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

let als: Als<unknown> | null | undefined;
// kept in a variable so bundlers leave the import alone (no static node: import in edge bundles)
const ASYNC_HOOKS = "node:async_hooks";

function fromSync(): (new () => Als<unknown>) | undefined {
  const g = globalThis as any;
  if (typeof g.AsyncLocalStorage === "function") return g.AsyncLocalStorage;
  try {
    return g.process?.getBuiltinModule?.(ASYNC_HOOKS)?.AsyncLocalStorage;
  } catch {}
}

/** Finds AsyncLocalStorage once: globalThis (Vercel Edge, workerd nodejs_als), process.getBuiltinModule, then import(). */
export async function loadContext(): Promise<void> {
  if (als !== undefined) return;
  let Ctor = fromSync();
  if (!Ctor) {
    try {
      Ctor = (await import(/* @vite-ignore */ ASYNC_HOOKS)).AsyncLocalStorage;
    } catch {}
  }
  try {
    als = Ctor ? new Ctor() : null;
  } catch {
    als = null;
  }
}

/** Sync variant for code paths that ran before init() resolved. */
export function loadContextSync(): void {
  if (als !== undefined) return;
  const Ctor = fromSync();
  if (Ctor) als = new Ctor();
}

export const hasContext = (): boolean => !!als;

export function activeStore<T>(): T | undefined {
  return als ? (als.getStore() as T | undefined) : undefined;
}

export function runInContext<T, R>(store: T, fn: () => R): R {
  return als ? als.run(store, fn) : fn();
}
