import { Exporter, newResult, newStats } from "../export/exporter";
import { loadContext, loadContextSync } from "./context";
import { resolveOptions, type InitOptions, type ResolvedOptions } from "./options";
import { platformContext, resetPlatformContext } from "./runtime";
import { state } from "./state";
import type { Attributes, FlushResult, Stats } from "./types";

declare const __SDK_VERSION__: string;
export const VERSION: string = typeof __SDK_VERSION__ == "string" ? __SDK_VERSION__ : "0.0.0";

let exporter: Exporter | undefined;
// set by init(); its debug flag gates log()
let options: ResolvedOptions | undefined;
// init()'s first promise; set means initialised
let ready: Promise<void> | undefined;
const warned = new Set<string>();
const scheduled = new WeakSet<object>();

const say = (method: "warn" | "debug", message: string, ...args: unknown[]): void => {
  try {
    console[method]("[fallom] " + message, ...args);
  } catch {}
};

/** Misuse is reported once per message, never thrown. */
export const warn = (message: string): void => {
  warned.has(message) || (warned.add(message), say("warn", message));
};

export const log = (...args: [message: string, ...rest: unknown[]]): void => {
  options?.debug && say("debug", ...args);
};

/**
 * Starts the SDK once; later calls are no-ops. Never throws: bad options are reported and replaced by defaults,
 * and without an API key the SDK stays disabled (no network).
 */
export const init = (input?: InitOptions): Promise<void> => {
  // concurrent callers all resume once the first call is done (AsyncLocalStorage may load asynchronously)
  if (ready) log("init() called again: ignored");
  else ready = start(input);
  return ready;
};

const start = async (input?: InitOptions): Promise<void> => {
  try {
    loadContextSync();
    resetPlatformContext();
    const o = (options = resolveOptions(input, warn));
    if (!o.apiKey) {
      if (o.debug) warn("no apiKey (option or FALLOM_API_KEY): tracing disabled");
      return;
    }
    const resource: Attributes = {
      "service.name": o.serviceName,
      "telemetry.sdk.name": "@fallom/trace",
      "telemetry.sdk.language": "webjs",
      "telemetry.sdk.version": VERSION,
    };
    if (o.environment) resource["deployment.environment.name"] = o.environment;
    state.tracer = exporter = new Exporter(
      o,
      resource,
      VERSION,
      (error) => {
        log("export:", error);
        try {
          o.onError?.(error);
        } catch {}
      },
      // registers a debounced flush with the request's waitUntil (Vercel / Next request context, or init's waitUntil)
      () => {
        const ctx: any = platformContext() ?? (o.waitUntil && o);
        if (ctx && !scheduled.has(ctx)) {
          scheduled.add(ctx);
          try {
            ctx.waitUntil(
              new Promise((resolve) => setTimeout(resolve, 25)).then(() => {
                scheduled.delete(ctx);
                // export only: waiting on tracked work here would tie this request to other requests' streams
                return exporter?.flush(false);
              }),
            );
          } catch {
            scheduled.delete(ctx);
          }
        }
      },
    );
    await loadContext();
    log("initialised", { tracesUrl: o.tracesUrl, sampleRate: o.sampleRate });
  } catch (error) {
    // nothing after state.tracer is set can throw, so tracing is off here
    warn("init failed: " + String(error) + "; tracing disabled");
  }
};

/**
 * Settles everything started so far — exports and their retries, open streams and other registered work —
 * or returns at the deadline (flushTimeoutMs, 25 s). Never rejects. Hand it to `ctx.waitUntil()`.
 */
export const flush = async (): Promise<FlushResult> =>
  exporter ? exporter.flush(true).then((result) => (log("flush", result), result)) : newResult();

/** Registers background work that flush() waits for (bounded by its deadline). */
export const track = (promise: Promise<unknown>, onDeadline?: () => void): void => {
  try {
    exporter?.track(promise, onDeadline);
    (options?.waitUntil ? options : platformContext())?.waitUntil!(promise.catch(() => {}));
  } catch {}
};

/** Counters of what was sent, retried and dropped (by reason) since init (a copy) */
export const stats = (): Stats => structuredClone(exporter?.stats ?? newStats());

/** The resolved options, or undefined before init / when disabled */
export const getOptions = (): ResolvedOptions | undefined => (exporter ? options : undefined);

/** Test-only: forget init so a new one can run. Pending spans are discarded. */
export const _reset = (): void => {
  state.tracer = exporter = options = ready = undefined;
};
