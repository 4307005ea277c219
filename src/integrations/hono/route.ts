import type { Context } from "hono";

/**
 * The route pattern (`/users/:id`) of the handler that answered, read after `next()`; undefined when only
 * middleware ran (no route matched: 404). Hono's deprecated getters are used so hono is never imported at runtime.
 */
export function matchedRoute(c: Context, ownIndex: number): string | undefined {
  try {
    const index = c.req.routeIndex;
    const route = c.req.matchedRoutes[index];
    // `app.use()` registers method ALL with a (c, next) handler: that is middleware, not a route
    if (route && index > ownIndex && (route.method != "ALL" || route.handler.length < 2)) return route.path;
  } catch {}
}
