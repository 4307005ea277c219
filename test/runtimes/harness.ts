// Helpers to run bundled SDK code in every runtime we support: workerd (Miniflare v4), Vercel's edge-runtime
// (plain / Next-like / Vercel-like hosts), Deno, Bun and Node 22 — each on the esbuild bundle users would deploy.
import { spawn } from "node:child_process";
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompressionStream as NodeCompressionStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { EdgeRuntime } from "edge-runtime";
import { Log, LogLevel, Miniflare } from "miniflare";
import { SUMMARY_MARKER, type ScenarioOptions, type ScenarioSummary } from "./scenario";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const HERE = fileURLToPath(new URL(".", import.meta.url));
export const SDK_ENTRY = join(ROOT, "src/index.ts");
export const CORE_ENTRY = join(ROOT, "src/core/index.ts");
export const SDK_VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
export const COMPATIBILITY_DATE = "2026-07-01";
/** the conditions edge bundlers (wrangler, Next's edge compiler) resolve with */
export const EDGE_CONDITIONS = ["workerd", "worker", "edge-light", "browser"];

export interface BundleOptions {
  minify?: boolean;
  /** default: neutral for esm, browser for iife */
  platform?: esbuild.Platform;
  define?: Record<string, string>;
  /** extra esbuild options (metafile, alias…) */
  extra?: esbuild.BuildOptions;
}

export type Entry = string | { contents: string; resolveDir?: string; sourcefile?: string };

/**
 * Bundles `entry` (a file, or inline source resolved from test/runtimes) with esbuild the way edge users do:
 * `@fallom/trace` is the SDK source, `__SDK_VERSION__` is defined, no `node:` module is allowed to resolve
 * (platform neutral/browser has no built-ins, so any static `node:` import fails the build).
 */
export async function bundle(entry: Entry, format: "esm" | "iife", options: BundleOptions = {}): Promise<string> {
  const result = await esbuild.build({
    ...(typeof entry === "string"
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: entry.resolveDir ?? HERE,
            sourcefile: entry.sourcefile ?? "entry.ts",
            loader: "ts",
          },
        }),
    bundle: true,
    write: false,
    format,
    platform: options.platform ?? (format === "esm" ? "neutral" : "browser"),
    conditions: EDGE_CONDITIONS,
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    minify: options.minify ?? false,
    logLevel: "silent",
    alias: { "@fallom/trace": SDK_ENTRY },
    define: { __SDK_VERSION__: JSON.stringify(SDK_VERSION), ...options.define },
    ...options.extra,
  });
  return result.outputFiles![0]!.text;
}

// ---------------------------------------------------------------------------------------------------------
// Entries around the conformance scenario (inline, so the scenario itself stays pure public API).

/** A Worker module: POST the ScenarioOptions as JSON, get the summary back. */
export const WORKER_SCENARIO_ENTRY = `
import { runScenario } from "./scenario";
export default {
  async fetch(request) {
    try {
      return Response.json(await runScenario(await request.json()));
    } catch (error) {
      return new Response(String((error && error.stack) || error), { status: 500 });
    }
  },
};`;

/** A service-worker style script for edge-runtime (it evaluates scripts only: bundle as IIFE). */
export const EDGE_SCENARIO_ENTRY = `
import { runScenario } from "./scenario";
addEventListener("fetch", (event) => {
  event.respondWith(
    event.request.json().then(runScenario).then(
      (summary) => Response.json(summary),
      (error) => new Response(String((error && error.stack) || error), { status: 500 }),
    ),
  );
});`;

/** A CLI script for Deno / Bun / Node: options as argv[0], summary printed after SUMMARY_MARKER. */
export const CLI_SCENARIO_ENTRY = `
import { runScenario, SUMMARY_MARKER } from "./scenario";
const g = globalThis as any;
const arg = g.Deno ? g.Deno.args[0] : g.process.argv[2];
const summary = await runScenario(JSON.parse(arg));
console.log(SUMMARY_MARKER + JSON.stringify(summary));`;

export function parseSummary(stdout: string): ScenarioSummary {
  const line = stdout.split("\n").find((l) => l.startsWith(SUMMARY_MARKER));
  if (!line) throw new Error("no summary in output:\n" + stdout);
  return JSON.parse(line.slice(SUMMARY_MARKER.length));
}

// ---------------------------------------------------------------------------------------------------------
// workerd through Miniflare v4 (plain JS API: the compatibility flags are exactly what we pass)

export interface WorkerdOptions {
  flags?: string[];
  bindings?: Record<string, string>;
  /** log workerd's console output (default: warnings and errors only) */
  verbose?: boolean;
}

export interface WorkerdHandle {
  mf: Miniflare;
  /** what workerd printed so far (stdout and stderr), to assert runtime warnings absent */
  output(): string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

export async function runWorkerd(script: string, options: WorkerdOptions = {}): Promise<WorkerdHandle> {
  let output = "";
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: script }],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: options.flags ?? [],
    bindings: options.bindings,
    cf: false,
    log: new Log(options.verbose ? LogLevel.DEBUG : LogLevel.WARN),
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (output += d));
      stderr.on("data", (d) => (output += d));
    },
  });
  await mf.ready;
  let disposed: Promise<void> | undefined;
  return {
    mf,
    output: () => output,
    fetch: (path, init) => mf.dispatchFetch(new URL(path, "http://worker.test").href, init as any) as unknown as Promise<Response>,
    dispose: () => (disposed ??= mf.dispose()),
  };
}

/** Runs the conformance scenario once in a fresh workerd with `flags`. */
export async function workerdScenario(script: string, flags: string[], o: ScenarioOptions): Promise<ScenarioSummary> {
  const w = await runWorkerd(script, { flags });
  try {
    const res = await w.fetch("/", { method: "POST", body: JSON.stringify(o) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`workerd ${JSON.stringify(flags)} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  } finally {
    await w.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Vercel's edge-runtime, in three host profiles

export type EdgeProfile = "plain" | "next-like" | "vercel-like";

/** Next's sandbox stub for unsupported Node APIs (next/src/server/web/sandbox/context.ts, addStub + throwUnsupportedAPIError). */
function addNextStub(context: Record<string, unknown>, name: string): void {
  Object.defineProperty(context, name, {
    get() {
      return function () {
        throw new Error(
          `A Node.js API is used (${name}) which is not supported in the Edge Runtime.\nLearn more: https://nextjs.org/docs/api-reference/edge-runtime`,
        );
      };
    },
    enumerable: false,
    configurable: true,
  });
}

/**
 * Host prelude evaluated before the app: per FetchEvent, a request context `{ waitUntil }` bound to the event,
 * exposed at `Symbol.for(<symbol>)` the way Next (`@next/request-context`) and Vercel (`@vercel/request-context`)
 * do — an AsyncLocalStorage store, so `get()` returns the same object for the whole request.
 */
function requestContextPrelude(symbol: string): string {
  return `(() => {
  const g = globalThis;
  const store = new g.AsyncLocalStorage();
  Object.defineProperty(g, Symbol.for(${JSON.stringify(symbol)}), { value: { get: () => store.getStore() }, configurable: true });
  const add = g.addEventListener;
  g.addEventListener = function (type, listener) {
    if (String(type).toLowerCase() !== "fetch") return add(type, listener);
    return add(type, (event) => {
      const ctx = { waitUntil: (promise) => event.waitUntil(promise) };
      return store.run(ctx, () => listener(event));
    });
  };
})();\n`;
}

export interface EdgeHandle {
  runtime: EdgeRuntime;
  /** dispatchFetch; the response has `waitUntil()` resolving every promise handed to event.waitUntil */
  fetch(path: string, init?: RequestInit): Promise<Response & { waitUntil(): Promise<unknown[]> }>;
}

export function runEdgeRuntime(iife: string, profile: EdgeProfile): EdgeHandle {
  let prelude = "";
  let extend: ((context: any) => any) | undefined;
  if (profile === "next-like") {
    // what `next start` gives an edge route: ALS, throwing CompressionStream stubs, process.env, @next/request-context
    extend = (context) => {
      context.AsyncLocalStorage = AsyncLocalStorage;
      addNextStub(context, "CompressionStream");
      addNextStub(context, "DecompressionStream");
      context.process = { env: { NEXT_RUNTIME: "edge" } };
      return context;
    };
    prelude = requestContextPrelude("@next/request-context");
  } else if (profile === "vercel-like") {
    extend = (context) => {
      context.AsyncLocalStorage = AsyncLocalStorage;
      context.CompressionStream = NodeCompressionStream;
      return context;
    };
    prelude = requestContextPrelude("@vercel/request-context");
  }
  const runtime = new EdgeRuntime({ initialCode: prelude + iife, extend });
  return {
    runtime,
    fetch: (path, init) => runtime.dispatchFetch(new URL(path, "http://edge.test").href, init as any) as any,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Child processes: Deno, Bun, Node 22 (killed by their own PID on timeout)

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export function runChild(
  command: string,
  args: string[],
  options: { timeoutMs?: number; env?: Record<string, string>; cwd?: string } = {},
): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL"); // this child's own PID only
    }, options.timeoutMs ?? 20_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

export const DENO = join(ROOT, "node_modules/.bin/deno");
export const BUN = join(ROOT, "node_modules/.bin/bun");

/** Deno with the least permission the SDK needs: network to the local collector only. */
export function runDeno(file: string, args: string[] = [], timeoutMs?: number): Promise<ChildResult> {
  return runChild(DENO, ["run", "--no-prompt", "--no-config", "--allow-net=127.0.0.1", file, ...args], {
    timeoutMs,
    env: { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PACKAGE_JSON: "1" },
  });
}

export function runBun(file: string, args: string[] = [], timeoutMs?: number): Promise<ChildResult> {
  return runChild(BUN, ["run", "--no-install", file, ...args], { timeoutMs, env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" } });
}

/** Node: the same binary vitest runs on (Node 22 from the devDependency). */
export function runNode(file: string, args: string[] = [], timeoutMs?: number): Promise<ChildResult> {
  return runChild(process.execPath, [file, ...args], { timeoutMs });
}

/** A temp dir for bundles handed to child runtimes; remove() in afterAll. */
export function tempDir(prefix = "fallom-rt-"): { dir: string; write(name: string, text: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Waiting and workerd's warnings

/** workerd's messages when one request waits on, resolves or does I/O for another request's promises */
export const CROSS_REQUEST_WARNINGS =
  /different request context|IoContext dropped queued cross-context actions|Cannot perform I\/O on behalf of a different request/i;

/** Polls `check` until it returns a truthy value, or throws at the timeout with `what()` */
export async function until<T>(check: () => T | undefined | false, what: () => string, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what());
    await new Promise((r) => setTimeout(r, 20));
  }
}
