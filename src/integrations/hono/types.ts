import type { Context, Env } from "hono";
import type { InitOptions } from "../../core/options";
import type { Span } from "../../core/span";
import type { SessionOptions } from "../../core/types";
import type { FallomSession } from "../../fallom-session";

/** A platform's per-request `waitUntil` */
export type WaitUntil = (promise: Promise<unknown>) => void;

export interface FallomHonoOptions<E extends Env = any> {
  /**
   * Options for `fallom.init()`, run once on the first request: on Workers the env bindings exist only then
   * (`(c) => ({ apiKey: c.env.FALLOM_API_KEY })`). Leave it out when the app calls `fallom.init()` itself.
   */
  init?: (c: Context<E>) => InitOptions | undefined;
  /** The request's session (sessionId, customerId, configKey, tags, metadata) from its headers, auth or body. */
  session?: (c: Context<E>) => SessionOptions | undefined | Promise<SessionOptions | undefined>;
  /** Continue the trace of an incoming W3C `traceparent` header. @default true */
  traceparent?: boolean;
  /**
   * Flush once the response body has been sent: handed to the platform's `waitUntil` (Workers, Vercel / Next),
   * else run in the background of the long-lived server (Node, Bun, Deno). @default true
   */
  flush?: boolean;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The request's session: its spans and traced models nest under the request's SERVER span */
    fallom: FallomSession;
    /** The request's SERVER span */
    fallomSpan: Span;
  }
}
