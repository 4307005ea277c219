import type { Context, Env, MiddlewareHandler } from "hono";
import { flush, getOptions, init, warn } from "../../core/sdk";
import type { Span } from "../../core/span";
import type { SessionOptions } from "../../core/types";
import { FallomSession } from "../../fallom-session";
import { tap, type StreamEnd } from "../ai-sdk/stream";
import { matchedRoute } from "./route";
import type { FallomHonoOptions, WaitUntil } from "./types";

// OTLP SpanKind SERVER
const SERVER = 2;

// Hono's executionCtx getter throws where the adapter gave none (Node, Bun, Deno)
function executionCtxWaitUntil(c: Context): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx;
    if (typeof ctx?.waitUntil == "function") return (p) => ctx.waitUntil(p);
  } catch {}
}

/**
 * Builds `fallomHono` around the runtime's fallback `waitUntil` finder (the Workers entry adds the one
 * exported by `cloudflare:workers`; the default entry looks at the Vercel / Next request context).
 */
export function createFallomHono(platformWaitUntil: () => WaitUntil | undefined) {
  /**
   * Hono middleware: one SERVER span per request (continuing an incoming `traceparent`), a session per request as
   * `c.get("fallom")` (its spans nest under the SERVER span, no AsyncLocalStorage needed), the span as
   * `c.get("fallomSpan")`, and a flush once the response body has been sent (streamed answers included).
   */
  return function fallomHono<E extends Env = any>(options: FallomHonoOptions<E> = {}): MiddlewareHandler<E> {
    const o: FallomHonoOptions = options && typeof options == "object" ? (options as FallomHonoOptions) : {};
    let ready: Promise<void> | undefined;
    return async (c, next) => {
      // registered now, while the request is live: the promise settles after the body is sent and flushed
      let bodySent!: () => void;
      const sent = new Promise<void>((resolve) => (bodySent = resolve));
      const waitUntil = o.flush === false ? undefined : findWaitUntil(c);
      if (o.flush !== false) {
        const flushed = sent.then(() => flush());
        // no waitUntil (Node, Bun, Deno servers): the process outlives the request, so the flush runs in the background
        if (waitUntil) waitUntil(flushed);
      }
      if (o.init) {
        try {
          await (ready ??= init(o.init(c)));
        } catch (error) {
          warn("fallomHono({ init }) threw: " + String(error));
        }
      }
      const server = await startServerSpan(c, o);
      const ownIndex = c.req.routeIndex;
      try {
        await next();
      } catch (error) {
        // only what Hono's onError did not handle (a thrown non-Error) gets here
        server.span.setError(error).setAttribute("error.type", errorType(error)).end();
        bodySent();
        throw error;
      }
      endAfterBody(c, server.span, ownIndex, bodySent);
    };

    function findWaitUntil(c: Context): WaitUntil | undefined {
      const fromInit = getOptions()?.waitUntil;
      return executionCtxWaitUntil(c) ?? platformWaitUntil() ?? fromInit;
    }
  };
}

async function startServerSpan(c: Context, o: FallomHonoOptions): Promise<{ span: Span }> {
  let sessionOptions: SessionOptions | undefined;
  try {
    sessionOptions = await o.session?.(c);
  } catch (error) {
    warn("fallomHono({ session }) threw; the request is traced without session attributes: " + String(error));
  }
  let span: Span | undefined;
  // the SERVER span is the default parent of every span the session starts (the span itself: a root or remote child)
  const session = new FallomSession({ ...sessionOptions, parent: () => span });
  const method = c.req.method;
  let url: URL | undefined;
  try {
    url = new URL(c.req.url);
  } catch {}
  span = session.startSpan(method, {
    type: "http",
    kind: SERVER,
    traceparent: o.traceparent === false ? undefined : c.req.header("traceparent"),
    attributes: {
      "http.request.method": method,
      "url.path": url?.pathname,
      "url.scheme": url?.protocol.slice(0, -1),
      "server.address": url?.hostname,
      "user_agent.original": c.req.header("user-agent"),
    },
  });
  c.set("fallom", session);
  c.set("fallomSpan", span);
  return { span };
}

// Status, route and error now; the span ends (and the flush starts) when the body has been sent or cancelled
function endAfterBody(c: Context, span: Span, ownIndex: number, bodySent: () => void): void {
  const end = (how: StreamEnd = "done", reason?: unknown): void => {
    if (how == "cancel") span.setAttribute("fallom.stream.cancelled", true);
    else if (how == "error") span.setError(reason).setAttribute("error.type", errorType(reason));
    span.end();
    bodySent();
  };
  let res: Response | undefined;
  try {
    res = c.res;
    const route = matchedRoute(c, ownIndex);
    if (route) {
      span.name = c.req.method + " " + route;
      span.setAttribute("http.route", route);
    }
    const status = res.status;
    span.setAttribute("http.response.status_code", status);
    if (c.error) span.setError(c.error).setAttribute("error.type", errorType(c.error));
    else if (status >= 500) span.setStatus("error").setAttribute("error.type", String(status));
    const body = res.body;
    // a WebSocket upgrade keeps its response object (it carries the socket)
    if (body && status != 101) {
      c.res = undefined;
      c.res = new Response(tap(body, () => {}, end), res);
      return;
    }
  } catch {}
  end();
}

const errorType = (error: unknown): string => {
  try {
    const name = (error as Error)?.name;
    if (typeof name == "string" && name) return name;
  } catch {}
  return "_OTHER";
};
