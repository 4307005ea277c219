import { Exporter } from "../export/exporter";
import { loadContext, loadContextSync } from "./context";
import { resolveOptions, type InitOptions, type ResolvedOptions } from "./options";
import { isLongLived, platformContext, startTimer } from "./runtime";
import type { Span } from "./span";
import { state, type Tracer } from "./state";
import type { Attributes, FlushResult, Stats } from "./types";

declare const __SDK_VERSION__: string;
export const VERSION: string = typeof __SDK_VERSION__ === "string" ? __SDK_VERSION__ : "0.0.0";

const warned = new Set<string>();
/** Misuse is reported once per message, never thrown. */
export function warn(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  try {
    console.warn("[fallom] " + message);
  } catch {}
}

let exporter: Exporter | undefined;
let options: ResolvedOptions | undefined;
let debug = false;
const scheduled = new WeakSet<object>();

export function log(...args: unknown[]): void {
  if (debug) {
    try {
      console.debug("[fallom]", ...args);
    } catch {}
  }
}

function report(error: unknown): void {
  log("export:", error);
  const hook = options?.onError;
  if (hook) {
    try {
      hook(error);
    } catch {}
  }
}

// Registers a debounced flush with the request's waitUntil (Vercel / Next request context, or init's waitUntil).
function autoFlush(): void {
  const ctx: any = platformContext() ?? (options?.waitUntil && options);
  if (!ctx || scheduled.has(ctx)) return;
  scheduled.add(ctx);
  try {
    ctx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, 25)).then(() => {
        scheduled.delete(ctx);
        return flush();
      }),
    );
  } catch {
    scheduled.delete(ctx);
  }
}

const tracer: Tracer = {
  options: undefined as unknown as ResolvedOptions,
  onEnd(span: Span) {
    exporter!.enqueue(span);
    // long-lived servers export full batches without waiting for the timer
    if (exporter!.size >= options!.maxBatchSize && !exporter!.busy && isLongLived()) void exporter!.flush(false);
    autoFlush();
  },
  onSampledOut() {
    if (exporter) exporter.stats.dropped.sampled_out++;
  },
};

/**
 * Starts the SDK once; later calls are no-ops. Never throws: bad options are reported and replaced by defaults,
 * and without an API key the SDK stays disabled (no network).
 */
export async function init(input?: InitOptions): Promise<void> {
  if (state.initialised) {
    log("init() called again: ignored (the first call's options stay in force)");
    return;
  }
  state.initialised = true;
  try {
    loadContextSync();
    const problems: string[] = [];
    options = resolveOptions(input, problems);
    debug = options.debug;
    for (const p of problems) warn(p);
    if (!options.apiKey) {
      if (debug) warn("no apiKey (option, env.FALLOM_API_KEY or process.env.FALLOM_API_KEY): tracing is disabled");
      return;
    }
    const resource: Attributes = {
      "service.name": options.serviceName,
      "telemetry.sdk.name": "@fallom/trace",
      "telemetry.sdk.language": "webjs",
      "telemetry.sdk.version": VERSION,
    };
    if (options.environment) resource["deployment.environment.name"] = options.environment;
    exporter = new Exporter(options, resource, VERSION, report);
    tracer.options = options;
    state.tracer = tracer;
    if (options.flushIntervalMs && isLongLived()) {
      startTimer(() => {
        if (exporter!.size) void exporter!.flush(false);
      }, options.flushIntervalMs);
    }
    await loadContext();
    log("initialised", { tracesUrl: options.tracesUrl, sampleRate: options.sampleRate });
  } catch (error) {
    warn("init failed, tracing disabled: " + String(error));
    state.tracer = undefined;
  }
}

/**
 * Settles everything started so far — exports and their retries, open streams and other registered work —
 * or returns at the deadline (flushTimeoutMs, 25 s). Never rejects. Hand it to `ctx.waitUntil()`.
 */
export async function flush(): Promise<FlushResult> {
  if (!exporter) return { sent: 0, dropped: 0, pending: 0, timedOut: false };
  const result = await exporter.flush(true);
  log("flush", result);
  return result;
}

/** Registers background work that flush() waits for (bounded by its deadline). */
export function track(promise: Promise<unknown>, onDeadline?: () => void): void {
  try {
    if (exporter) exporter.track(promise, onDeadline);
    const ctx = options?.waitUntil ? options : platformContext();
    ctx?.waitUntil!(promise.catch(() => {}));
  } catch {}
}

/** Counters of what was sent, retried and dropped (by reason) since init */
export function stats(): Stats {
  const s = exporter?.stats;
  return s
    ? { ...s, dropped: { ...s.dropped } }
    : {
        sent: 0,
        retries: 0,
        rejected: 0,
        dropped: { queue_full: 0, non_retryable: 0, too_large: 0, rate_limited: 0, retry_exhausted: 0, sampled_out: 0, disabled: 0 },
        redactErrors: 0,
        queued: 0,
        pending: 0,
        exports: 0,
      };
}

/** The resolved options, or undefined before init / when disabled */
export const getOptions = (): ResolvedOptions | undefined => (exporter ? options : undefined);

/** Test-only: forget init so a new one can run. Pending spans are discarded. */
export function _reset(): void {
  state.initialised = false;
  state.tracer = undefined;
  exporter = undefined;
  options = undefined;
  debug = false;
}
