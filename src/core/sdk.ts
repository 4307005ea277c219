import { Exporter, newResult, newStats } from "../export/exporter";
import { loadContext } from "./context";
import { resolveOptions, type InitOptions, type ResolvedOptions } from "./options";
import { g, isLongLived, platformContext, resetPlatformContext } from "./runtime";
import type { SpanOwner } from "./span";
import { state } from "./state";
import type { Attributes, FlushResult, Stats } from "./types";

declare const __SDK_VERSION__: string;
export const VERSION: string = typeof __SDK_VERSION__ == "string" ? __SDK_VERSION__ : "0.0.0";

let exporter: Exporter | undefined;
let options: ResolvedOptions | undefined;
let debug = false;
let ready: Promise<void> | undefined;
const warned = new Set<string>();
const scheduled = new WeakSet<object>();

const say = (method: "warn" | "debug", message: string, ...args: unknown[]): void => {
  try {
    console[method]("[fallom] " + message, ...args);
  } catch {}
};

/** Misuse is reported once per message, never thrown. */
export function warn(message: string): void {
  if (!warned.has(message)) {
    warned.add(message);
    say("warn", message);
  }
}

export function log(message: string, ...args: unknown[]): void {
  if (debug) say("debug", message, ...args);
}

function report(error: unknown): void {
  log("export:", error);
  try {
    options?.onError?.(error);
  } catch {}
}

// Registers a debounced flush with the request's waitUntil (Vercel / Next request context, or init's waitUntil).
function autoFlush(): void {
  const ctx: any = platformContext() ?? (options?.waitUntil && options);
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
}

/**
 * Starts the SDK once; later calls are no-ops. Never throws: bad options are reported and replaced by defaults,
 * and without an API key the SDK stays disabled (no network).
 */
export function init(input?: InitOptions): Promise<void> {
  if (state.initialised) log("init() called again: ignored");
  else {
    state.initialised = true;
    ready = start(input);
  }
  // concurrent callers all resume once the first call is done
  return ready!;
}

async function start(input?: InitOptions): Promise<void> {
  try {
    loadContext();
    resetPlatformContext();
    const o = (options = resolveOptions(input, warn));
    debug = o.debug;
    if (!o.apiKey) {
      if (debug) warn("no apiKey (option or FALLOM_API_KEY): tracing disabled");
      return;
    }
    const resource: Attributes = {
      "service.name": o.serviceName,
      "telemetry.sdk.name": "@fallom/trace",
      // semconv values: "nodejs" for Node itself, "webjs" for the Web-API runtimes (Workers, edge, Deno, Bun)
      "telemetry.sdk.language": isLongLived() && !g.Deno && !g.Bun ? "nodejs" : "webjs",
      "telemetry.sdk.version": VERSION,
    };
    if (o.environment) resource["deployment.environment.name"] = o.environment;
    state.tracer = exporter = new Exporter(o, resource, VERSION, report, autoFlush);
    if (o.flushOnExit && isLongLived()) flushOnExit();
    log("initialised", { tracesUrl: o.tracesUrl, sampleRate: o.sampleRate });
  } catch (error) {
    warn("init failed: " + String(error) + "; tracing disabled");
    state.tracer = undefined;
  }
}

let exitHooked = false;

// Node, Bun, Deno: when the event loop runs dry with spans still queued, export them once (the export keeps the
// process alive until it is done or the flush deadline); with nothing queued the process exits at once.
function flushOnExit(): void {
  const onExit = () => {
    const s = exporter?.stats;
    if (s && s.queued + s.pending && options?.flushOnExit) exporter!.flush(false);
  };
  try {
    // Deno's own exit hook; Node and Bun fire beforeExit
    if (!exitHooked) g.Deno ? g.addEventListener("beforeunload", onExit, { once: true }) : g.process.once("beforeExit", onExit);
  } catch {}
  exitHooked = true;
}

/**
 * Exports everything queued, then waits — exporting spans as they end — for the sessions and tracked work active
 * since the previous flush() call, including spans they start meanwhile (a stream that starts after this call),
 * or returns at the deadline (flushTimeoutMs, 25 s). Never waits on another request's I/O. Never rejects.
 * Hand it to `ctx.waitUntil()` — before returning a streamed response is fine.
 */
export async function flush(): Promise<FlushResult> {
  if (!exporter) return newResult();
  const result = await exporter.flush(true);
  log("flush", result);
  return result;
}

/** Registers background work that the next flush() waits for (bounded by its deadline). */
export function track(promise: Promise<unknown>, onDeadline?: () => void): void {
  trackFor(undefined, promise, onDeadline);
}

/** @internal `owner` (a session) is about to start a span within `ms`: the flush covering it waits that long for it */
export function expectSpan(owner: SpanOwner, ms: number): void {
  exporter?.expect(owner, ms);
}

/** @internal background work of `owner` (a session): the flush covering that session waits for it */
export function trackFor(owner: SpanOwner | undefined, promise: Promise<unknown>, onDeadline?: () => void): void {
  try {
    exporter?.track(promise, onDeadline, owner);
    (options?.waitUntil ? options : platformContext())?.waitUntil!(promise.catch(() => {}));
  } catch {}
}

/** Counters of what was sent, retried and dropped (by reason) since init */
export function stats(): Stats {
  // a deep copy: the caller can't change our counters
  return structuredClone(exporter?.stats ?? newStats());
}

/** The resolved options, or undefined before init / when disabled */
export const getOptions = (): ResolvedOptions | undefined => (exporter ? options : undefined);

/** Test-only: forget init so a new one can run. Pending spans are discarded. */
export function _reset(): void {
  state.initialised = false;
  state.tracer = exporter = options = ready = undefined;
  debug = false;
}
