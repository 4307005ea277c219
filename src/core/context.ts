// Implicit span nesting through AsyncLocalStorage when the runtime has one; explicit parents work everywhere.
import { g } from "./runtime";

interface Als<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

let als: Als<unknown> | null | undefined;
// kept in a variable so bundlers leave the import alone (no static node: import in edge bundles)
const ASYNC_HOOKS = "node:async_hooks";

/** Sync lookup for code paths that ran before init() resolved: globalThis (Vercel Edge, workerd nodejs_als), then process.getBuiltinModule. */
export const loadContextSync = (): void => {
  try {
    // `new undefined` throws (caught) when neither exists
    als ??= new (g.AsyncLocalStorage ?? g.process?.getBuiltinModule?.(ASYNC_HOOKS).AsyncLocalStorage)();
  } catch {}
};

/** Finds AsyncLocalStorage unless already found: the sync lookup, then import(). */
export const loadContext = async (): Promise<void> => {
  loadContextSync();
  try {
    als ??= new (await import(/* @vite-ignore */ ASYNC_HOOKS)).AsyncLocalStorage();
  } catch {
    als = null;
  }
};

export const hasContext = (): boolean => !!als;

export const activeStore = <T>(): T | undefined => als?.getStore() as T | undefined;

export const runInContext = <T, R>(store: T, fn: () => R): R => (als ? als.run(store, fn) : fn());
