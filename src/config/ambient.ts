// Fallom's ambient session (`trace.setSession` / `clearSession`), offered only where it is safe: inside an
// AsyncLocalStorage context, so concurrent requests never see each other's session. Without AsyncLocalStorage
// (plain workerd, edge-runtime) setSession throws a clear error pointing to `fallom.session()`.
import type { Session } from "../core/index";

interface Als<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  enterWith?(store: T): void;
}

/** What one ambient scope holds */
export interface AmbientStore {
  session?: Session;
}

const g = globalThis as any;
// kept in a variable so bundlers leave it alone (no static node: import in edge bundles)
const ASYNC_HOOKS = "node:async_hooks";
let als: Als<AmbientStore> | null | undefined;
// until an ambient session is set, lookups skip AsyncLocalStorage entirely
let used = false;

function storage(): Als<AmbientStore> | null {
  if (als === undefined) {
    try {
      als = new (g.AsyncLocalStorage ?? g.process?.getBuiltinModule?.(ASYNC_HOOKS).AsyncLocalStorage)();
    } catch {
      als = null;
    }
  }
  return als!;
}

/** The session set by trace.setSession / runWithSession in this async context, if any */
export const ambientSession = (): Session | undefined => (used ? storage()?.getStore()?.session : undefined);

export const NO_ALS =
  "trace.setSession() / runWithSession() need AsyncLocalStorage, which this runtime does not offer (plain Workers without nodejs_als/nodejs_compat, edge-runtime): " +
  "create a session per request with fallom.session({ configKey, sessionId, customerId }) and use its methods instead";

/** Runs `fn` with `session` as the ambient session (a new scope: nothing leaks out of it). */
export function runAmbient<R>(session: Session, fn: () => R): R {
  const s = storage();
  if (!s) throw new Error(NO_ALS);
  used = true;
  return s.run({ session }, fn);
}

/** Sets the ambient session of the current scope (or of the current async context, where enterWith exists). */
export function setAmbient(session: Session | undefined): void {
  const s = storage();
  if (!s) {
    if (session) throw new Error(NO_ALS);
    return;
  }
  used = true;
  const store = s.getStore();
  if (store) store.session = session;
  else if (session) {
    if (typeof s.enterWith != "function") throw new Error("trace.setSession() is only available inside trace.runWithSession(…) on this runtime; or use fallom.session()");
    s.enterWith({ session });
  }
}
