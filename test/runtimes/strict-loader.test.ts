// Strict loaders accept the bundle: raw Miniflare (`new Miniflare({ modules: true, script })`) walks the script's
// imports and refuses an import() with a computed specifier ("dynamic module specifiers are unsupported"). The SDK
// finds AsyncLocalStorage synchronously only, so the same bundle loads under every flag; what each flag gets:
// no flags and nodejs_als → explicit parents only; nodejs_compat → implicit nesting too.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector, type Collector } from "../support/collector";
import { bundle, COMPATIBILITY_DATE } from "./harness";

const WORKER = `
import fallom from "@fallom/trace";
export default {
  async fetch(request, env) {
    await fallom.init({ apiKey: "k", baseUrl: env.COLLECTOR });
    const session = fallom.session({ sessionId: "strict" });
    const ids = await session.trace("root", async (root) => {
      await new Promise((r) => setTimeout(r, 1));
      const implicit = session.startSpan("implicit");
      const explicit = session.startSpan("explicit", { parent: root });
      implicit.end();
      explicit.end();
      return { implicit: implicit.parentSpanId === root.spanId, explicit: explicit.parentSpanId === root.spanId };
    });
    const flushed = await fallom.flush();
    return Response.json({ ...ids, sent: flushed.sent });
  },
};`;

let collector: Collector;
let script: string;
beforeAll(async () => {
  collector = await startCollector();
  script = await bundle({ contents: WORKER }, "esm", { minify: true });
});
afterAll(() => collector?.close());

it.each([
  { flags: [] as string[], implicit: false },
  { flags: ["nodejs_als"], implicit: false },
  { flags: ["nodejs_compat"], implicit: true },
])("raw Miniflare { modules: true, script } loads the bundle with flags $flags (implicit nesting: $implicit)", async ({ flags, implicit }) => {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: flags,
    bindings: { COLLECTOR: collector.url },
    cf: false,
  });
  try {
    const res = await mf.dispatchFetch("http://worker.test/");
    expect(await res.json()).toEqual({ implicit, explicit: true, sent: 3 });
  } finally {
    await mf.dispose();
  }
});
