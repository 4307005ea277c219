// @fallom/trace/hono on Workers (export condition "workerd"): the only file that imports `cloudflare:workers`
import { waitUntil } from "cloudflare:workers";
import { createFallomHono } from "./middleware";

/** Hono middleware: a SERVER span, a session (`c.get("fallom")`) and a flush after the body per request. */
export const fallomHono = createFallomHono(() => waitUntil);
export type { FallomHonoOptions, WaitUntil } from "./types";
