// Implicit span nesting through AsyncLocalStorage when the runtime has one; explicit parents work everywhere.
interface Als<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

let als: Als<unknown> | null | undefined;
// kept in a variable so bundlers leave the import alone (no static node: import in edge bundles)
const ASYNC_HOOKS = "node:async_hooks";

/** Sync lookup for code paths that ran before init() resolved: globalThis (Vercel Edge, workerd nodejs_als), then process.getBuiltinModule. */
export function loadContextSync(): void {
  if (als === undefined) {
    try {
      const g = globalThis as any;
      const Ctor = g.AsyncLocalStorage ?? g.process?.getBuiltinModule?.(ASYNC_HOOKS)?.AsyncLocalStorage;
      if (Ctor) als = new Ctor();
    } catch {}
  }
}

/** Finds AsyncLocalStorage once: the sync lookup, then import(). */
export async function loadContext(): Promise<void> {
  loadContextSync();
  if (als === undefined) {
    try {
      als = new (await import(/* @vite-ignore */ ASYNC_HOOKS)).AsyncLocalStorage();
    } catch {
      als = null;
    }
  }
}

export const hasContext = (): boolean => !!als;

export const activeStore = <T>(): T | undefined => als?.getStore() as T | undefined;

export const runInContext = <T, R>(store: T, fn: () => R): R => (als ? als.run(store, fn) : fn());
