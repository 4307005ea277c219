// @fallom/trace/hono for every runtime but Workers (whose export condition loads ./workerd.ts instead)
import { platformContext } from "../../core/runtime";
import { createFallomHono } from "./middleware";

/** Hono middleware: a SERVER span, a session (`c.get("fallom")`) and a flush after the body per request. */
export const fallomHono = createFallomHono(() => {
  const ctx = platformContext();
  return ctx && ((p) => ctx.waitUntil(p));
});
export type { FallomHonoOptions, WaitUntil } from "./types";
