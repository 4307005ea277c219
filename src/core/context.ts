// Implicit span nesting through AsyncLocalStorage when the runtime has one; explicit parents work everywhere.
// Only synchronous lookups: no import() with a computed specifier, which strict loaders (raw Miniflare `script`,
// the Workers Vitest pool) refuse to load. So workerd with `nodejs_als` alone (reachable only by import()) has no
// implicit nesting; `nodejs_compat` has (see the README's "what each flag gets").
import { g } from "./runtime";

interface Als<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

let als: Als<unknown> | undefined;

/** Finds AsyncLocalStorage unless already found: globalThis (Vercel Edge, Next), then process.getBuiltinModule (Node 22, Bun, Deno, workerd nodejs_compat). */
export const loadContext = (): void => {
  try {
    // `new undefined` throws (caught) when neither exists
    als ??= new (g.AsyncLocalStorage ?? g.process?.getBuiltinModule?.("node:async_hooks").AsyncLocalStorage)();
  } catch {}
};

export const hasContext = (): boolean => !!als;

export const activeStore = <T>(): T | undefined => als?.getStore() as T | undefined;

export const runInContext = <T, R>(store: T, fn: () => R): R => (als ? als.run(store, fn) : fn());
