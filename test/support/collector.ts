// A scriptable local OTLP/HTTP collector stand-in for exporter and runtime-conformance tests.
// Runs in Node only (node:http, node:zlib); the SDK under test talks to it over real sockets.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from "node:timers";
import { gunzipSync } from "node:zlib";
import { decodeOtlp, type DecodedSpan } from "./otlp-decode.js";
import { checkWire } from "./wire-check.js";

export type { DecodedSpan } from "./otlp-decode.js";
export { decodeOtlp, OtlpDecodeError } from "./otlp-decode.js";

export type Behavior =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { hang: true }
  | { reset: true }
  | { resetMidBody: true };

/** Why the collector answered on its own instead of following the script/default. */
export type AutoReason = "rate-limit" | "too-large" | "invalid";

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Query string including "?" or "" (extra). */
  query: string;
  headers: Record<string, string>;
  raw: Uint8Array;
  gzip: boolean;
  text: string;
  json?: unknown;
  spans: DecodedSpan[];
  at: number;
  /** "200", "503", "hang", "reset", "resetMidBody", or "aborted" (client went away before the body ended). */
  behavior: string;
  /** Numeric status when an HTTP response was (or will be, after delayMs) sent (extra). */
  status?: number;
  /** Set when the collector answered by itself: 429 rate limit, 413 too large, 400 invalid (extra). */
  auto?: AutoReason;
  /** Why the body was rejected: bad gzip, bad UTF-8, bad JSON, or the OTLP decode error (extra). */
  error?: string;
}

export type RouteHandler = Behavior | ((req: ReceivedRequest) => Behavior);

export interface Collector {
  url: string;
  requests: ReceivedRequest[];
  /** Problems the independent wire checks found in what the SDK sent (see wire-check.ts); close() rejects with them. */
  wireErrors: string[];
  spans(): DecodedSpan[];
  allSpans(): DecodedSpan[];
  enqueue(...behaviors: Behavior[]): void;
  setDefault(b: Behavior): void;
  setRateLimit(perSecond: number | undefined): void;
  waitForSpans(n: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  /** Resolves with all requests (or only those to `path`, when given) once there are >= n. */
  waitForRequests(n: number, timeoutMs?: number, path?: string): Promise<ReceivedRequest[]>;
  /** Fixed answer for one METHOD + path (e.g. config/prompt endpoints); bypasses script, default and rate limit. Pass undefined to remove. */
  route(method: string, path: string, handler: RouteHandler | undefined): void;
  /** Human-readable list of what arrived (used in timeout errors). */
  describe(): string;
  reset(): void;
  close(): Promise<void>;
}

export interface CollectorOptions {
  /** Answer 413 when the decoded (gunzipped) body is larger than this many bytes. */
  maxBodyBytes?: number;
}

const DEFAULT_BEHAVIOR: Behavior = { status: 200, body: "{}" };
const TRACES_PATH = "/v1/traces";

function behaviorName(b: Behavior): string {
  if ("status" in b) return String(b.status);
  if ("hang" in b) return "hang";
  if ("reset" in b) return "reset";
  return "resetMidBody";
}

function flattenHeaders(h: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function is2xx(r: ReceivedRequest): boolean {
  return r.status !== undefined && r.status >= 200 && r.status < 300;
}

function dedupe(spans: DecodedSpan[]): DecodedSpan[] {
  const seen = new Set<string>();
  const out: DecodedSpan[] = [];
  for (const s of spans) {
    const key = `${s.traceId}:${s.spanId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const maxBodyBytes = options.maxBodyBytes;
  const requests: ReceivedRequest[] = [];
  // SDK payloads are checked after the response is sent (off the exporter's critical path); close() runs what is left
  const unchecked: Array<{ json: unknown; index: number }> = [];
  const wireErrors: string[] = [];
  const runChecks = (): void => {
    for (let next; (next = unchecked.shift()); ) {
      try {
        checkWire(next.json);
      } catch (e) {
        const problem = `request #${next.index}: ${errMessage(e)}`;
        wireErrors.push(problem);
        console.error("[collector] wire check failed: " + problem);
      }
    }
  };
  const script: Behavior[] = [];
  const routes = new Map<string, RouteHandler>();
  let defaultBehavior: Behavior = DEFAULT_BEHAVIOR;
  let rateLimit: number | undefined;
  let inWindow = 0; // accepted requests in the last rolling second
  let windowGeneration = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof realSetTimeout>>();
  let closed = false;
  let closing: Promise<void> | undefined;

  // All timing uses node:timers, which vi.useFakeTimers() does not replace (it fakes the globals,
  // Date, hrtime and performance), so the collector keeps real time next to real sockets.
  function rateLimited(): boolean {
    if (rateLimit === undefined) return false;
    if (inWindow >= rateLimit) return true;
    inWindow++;
    const generation = windowGeneration;
    const t = realSetTimeout(() => {
      timers.delete(t);
      if (generation === windowGeneration) inWindow--;
    }, 1000);
    t.unref();
    timers.add(t);
    return false;
  }

  function clearRateWindow(): void {
    windowGeneration++;
    inWindow = 0;
  }

  function send(res: ServerResponse, b: Extract<Behavior, { status: number }>): void {
    const headers: Record<string, string> = { ...(b.headers ?? {}) };
    const body = b.body ?? "";
    if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
      headers["content-type"] = /^\s*[[{]/.test(body) ? "application/json" : "text/plain";
    }
    const write = (): void => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(b.status, headers);
      res.end(body);
    };
    if (b.delayMs !== undefined && b.delayMs > 0) {
      const t = realSetTimeout(() => {
        timers.delete(t);
        write();
      }, b.delayMs);
      timers.add(t);
    } else {
      write();
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = (req.method ?? "GET").toUpperCase();
    const target = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = target.pathname;
    if (method === "GET" && path === "/health") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }

    const headers = flattenHeaders(req.headers);
    const route = routes.get(`${method} ${path}`);
    const limited = route === undefined && rateLimited();
    let midBodyReset = false;
    if (route !== undefined) {
      midBodyReset = typeof route !== "function" && "resetMidBody" in route;
    } else if (!limited) {
      // resetMidBody must be decided before the body arrives; every other behavior waits for the full body.
      const head = script[0] ?? defaultBehavior;
      if ("resetMidBody" in head) {
        if (script.length > 0) script.shift();
        midBodyReset = true;
      }
    }

    const chunks: Buffer[] = [];
    let done = false;
    const gzip = /\bgzip\b/i.test(headers["content-encoding"] ?? "");

    const recordIncomplete = (behavior: string): void => {
      const raw = new Uint8Array(Buffer.concat(chunks));
      requests.push({
        method,
        path,
        query: target.search,
        headers,
        raw,
        gzip,
        text: gzip ? "" : Buffer.from(raw).toString("utf8"),
        spans: [],
        at: Date.now(),
        behavior,
        error: "body incomplete",
      });
    };

    req.on("error", () => {
      /* client aborts surface as 'close' below; an unhandled 'error' would crash the test runner */
    });
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      if (midBodyReset) {
        done = true;
        recordIncomplete("resetMidBody");
        req.socket.destroy();
      }
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      if (midBodyReset) {
        recordIncomplete("resetMidBody");
        req.socket.destroy();
        return;
      }
      finish();
    });
    req.on("close", () => {
      if (done) return;
      done = true;
      recordIncomplete("aborted");
    });

    function finish(): void {
      const raw = new Uint8Array(Buffer.concat(chunks));
      let error: string | undefined;
      let decoded: Uint8Array | undefined = raw;
      if (gzip) {
        try {
          decoded = new Uint8Array(gunzipSync(raw));
        } catch (e) {
          decoded = undefined;
          error = `invalid gzip body: ${errMessage(e)}`;
        }
      }
      let text = "";
      if (decoded !== undefined) {
        try {
          text = new TextDecoder("utf-8", { fatal: true }).decode(decoded);
        } catch {
          text = new TextDecoder("utf-8").decode(decoded);
          error = "body is not valid UTF-8";
        }
      }
      let json: unknown;
      if (error === undefined && text.trim() !== "") {
        try {
          json = JSON.parse(text);
        } catch (e) {
          error = `invalid JSON: ${errMessage(e)}`;
        }
      }
      let spans: DecodedSpan[] = [];
      if (error === undefined && path === TRACES_PATH && method === "POST") {
        if (json === undefined) {
          error = "empty body";
        } else {
          try {
            spans = decodeOtlp(json);
            // independent checks on what the SDK sent (its User-Agent; hand-written test bodies are not checked):
            // protobufjs round trip, semconv 1.45, docs/wire-format.md; run once the response is out
            if (headers["user-agent"]?.startsWith("fallom-trace-js/")) {
              unchecked.push({ json, index: requests.length });
              const t = realSetTimeout(() => (timers.delete(t), runChecks()), 0);
              timers.add(t);
            }
          } catch (e) {
            error = errMessage(e);
          }
        }
      }
      const decodedBytes = (decoded ?? raw).byteLength;
      const tooLarge = maxBodyBytes !== undefined && decodedBytes > maxBodyBytes;

      const record: ReceivedRequest = {
        method,
        path,
        query: target.search,
        headers,
        raw,
        gzip,
        text,
        spans,
        at: Date.now(),
        behavior: "",
      };
      if (json !== undefined) record.json = json;
      if (error !== undefined) record.error = error;

      // Precedence: rate limit > route > script > automatic 413/400 > default.
      let b: Behavior;
      if (limited) {
        b = { status: 429, headers: { "retry-after": "1" }, body: '{"error":"rate limited"}' };
        record.auto = "rate-limit";
      } else if (route !== undefined) {
        b = typeof route === "function" ? route(record) : route;
      } else if (script.length > 0) {
        b = script.shift()!;
      } else if (tooLarge) {
        b = { status: 413, body: JSON.stringify({ error: `body is ${decodedBytes} bytes, max ${maxBodyBytes}` }) };
        record.auto = "too-large";
      } else if (error !== undefined) {
        b = { status: 400, body: JSON.stringify({ error }) };
        record.auto = "invalid";
      } else {
        b = defaultBehavior;
      }
      // A route function cannot reset mid-body any more (the body is in); treat it as a reset.
      if ("resetMidBody" in b) b = { reset: true };
      record.behavior = behaviorName(b);
      if ("status" in b) record.status = b.status;
      requests.push(record);

      if ("status" in b) send(res, b);
      else if ("reset" in b) req.socket.destroy();
      // hang: never answer; close() destroys the socket.
    }
  }

  const server = createServer(handle);
  // Keep idle keep-alive sockets longer than any client would, so the server never races a
  // client reusing a socket it is closing (that would look like a spurious reset).
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_err, socket) => {
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  function allSpans(): DecodedSpan[] {
    return requests.flatMap((r) => r.spans);
  }
  function spans(): DecodedSpan[] {
    return dedupe(requests.filter(is2xx).flatMap((r) => r.spans));
  }

  function describe(): string {
    if (requests.length === 0) return "no requests arrived";
    return requests
      .map((r, i) => {
        const names = r.spans.map((s) => s.name);
        const shown = names.length > 10 ? [...names.slice(0, 10), `…+${names.length - 10}`] : names;
        let line = `#${i} ${r.method} ${r.path}${r.query} -> ${r.behavior}${r.auto ? ` (${r.auto})` : ""}`;
        line += `, ${r.raw.byteLength} bytes${r.gzip ? " gzip" : ""}, ${r.spans.length} span(s)`;
        if (shown.length > 0) line += ` [${shown.join(", ")}]`;
        if (r.error !== undefined) line += `, error: ${r.error}`;
        return `  ${line}`;
      })
      .join("\n");
  }

  async function waitFor<T>(
    what: string,
    timeoutMs: number,
    probe: () => T | undefined,
    summary: () => string,
  ): Promise<T> {
    let expired = false;
    const t = realSetTimeout(() => {
      expired = true;
    }, timeoutMs);
    try {
      for (;;) {
        const got = probe();
        if (got !== undefined) return got;
        if (closed) throw new Error(`${what}: collector was closed; ${summary()}\n${describe()}`);
        if (expired) throw new Error(`${what} timed out after ${timeoutMs} ms; ${summary()}\n${describe()}`);
        await sleep(10);
      }
    } finally {
      realClearTimeout(t);
    }
  }

  const collector: Collector = {
    url,
    requests,
    wireErrors,
    spans,
    allSpans,
    enqueue(...behaviors: Behavior[]): void {
      script.push(...behaviors);
    },
    setDefault(b: Behavior): void {
      defaultBehavior = b;
    },
    setRateLimit(perSecond: number | undefined): void {
      rateLimit = perSecond;
      clearRateWindow();
    },
    waitForSpans(n: number, timeoutMs = 5000): Promise<DecodedSpan[]> {
      return waitFor(
        `waitForSpans(${n})`,
        timeoutMs,
        () => {
          const s = spans();
          return s.length >= n ? s : undefined;
        },
        () => `got ${spans().length} accepted unique span(s) (${allSpans().length} total) from ${requests.length} request(s):`,
      );
    },
    waitForRequests(n: number, timeoutMs = 5000, path?: string): Promise<ReceivedRequest[]> {
      const matching = (): ReceivedRequest[] =>
        path === undefined ? requests.slice() : requests.filter((r) => r.path === path);
      return waitFor(
        `waitForRequests(${n}${path === undefined ? "" : `, ${path}`})`,
        timeoutMs,
        () => {
          const r = matching();
          return r.length >= n ? r : undefined;
        },
        () => `got ${matching().length} matching request(s):`,
      );
    },
    route(method: string, path: string, handler: RouteHandler | undefined): void {
      const key = `${method.toUpperCase()} ${path}`;
      if (handler === undefined) routes.delete(key);
      else routes.set(key, handler);
    },
    describe,
    reset(): void {
      requests.length = 0;
      script.length = 0;
      routes.clear();
      defaultBehavior = DEFAULT_BEHAVIOR;
      rateLimit = undefined;
      clearRateWindow();
    },
    close(): Promise<void> {
      if (closing !== undefined) return closing;
      closed = true;
      runChecks();
      for (const t of timers) realClearTimeout(t);
      timers.clear();
      closing = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        sockets.clear();
      }).then(() => {
        // the test that made the SDK send it fails here, with the reason
        if (wireErrors.length) throw new Error("SDK payloads failed the independent wire checks:\n  " + wireErrors.join("\n  "));
      });
      return closing;
    },
  };
  return collector;
}

/** Environment to hand a child process (workerd, Deno, Bun, edge-runtime) so it can find the collector. */
export function collectorEnv(c: Collector): { FALLOM_TEST_COLLECTOR: string } {
  return { FALLOM_TEST_COLLECTOR: c.url };
}
