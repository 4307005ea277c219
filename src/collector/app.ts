// The local collector: a Hono app for the Workers runtime with D1 storage. OTLP/HTTP JSON ingest, Fallom's
// config/prompt API, admin endpoints, and the trace viewer with its JSON API.
import { Hono, type Context } from "hono";
import { bearerProblem, viewerAllowed } from "./auth";
import { BodyTooLarge, BodyUnreadable, readBody } from "./body";
import {
  ConfigInputError,
  applySeed,
  getConfig,
  listConfigs,
  listPromptAbTests,
  listPrompts,
  parseConfigInput,
  parsePromptAbTestInput,
  parsePromptInput,
  recordAssignment,
  saveConfig,
  savePrompt,
  savePromptAbTest,
} from "./configs";
import { storeSpans } from "./ingest";
import { OtlpShapeError, decodeTraceRequest } from "./otlp";
import { abResults, facets, getTrace, listSessions, listTraces, totals, type TraceFilters } from "./queries";
import { ensureSchema } from "./schema";
import { resolveSettings, type CollectorEnv, type CollectorOptions, type Settings } from "./settings";
import { abPage, sessionsPage, tracePage, tracesPage, notFoundPage } from "./viewer/pages";

type Env = { Bindings: CollectorEnv; Variables: { settings: Settings } };
type Ctx = Context<Env>;

// google.rpc.Status codes used in OTLP error bodies
const RPC = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNAUTHENTICATED: 16, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

const otlpError = (c: Ctx, status: 400 | 401 | 413 | 415 | 500, code: number, message: string) => c.json({ code, message }, status);

const apiError = (c: Ctx, status: 400 | 401 | 404, message: string) => c.json({ error: message }, status);

function filtersFrom(c: Ctx): TraceFilters {
  const q = (name: string) => c.req.query(name)?.trim() || undefined;
  const variant = q("variant");
  return {
    configKey: q("config"),
    session: q("session"),
    customer: q("customer"),
    model: q("model"),
    prompt: q("prompt"),
    variant: variant !== undefined && /^\d+$/.test(variant) ? Number(variant) : undefined,
    errors: q("errors") === "1" || q("errors") === "true",
    limit: q("limit") ? Number(q("limit")) : undefined,
  };
}

async function jsonBody(c: Ctx): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ConfigInputError("body is not valid JSON");
  }
}

export function createCollector(options: CollectorOptions = {}): Hono<Env> {
  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    if (!c.env?.DB) return c.text("collector: no D1 binding named DB (see worker-example/collector/wrangler.toml)", 500);
    c.set("settings", resolveSettings(options, c.env));
    await ensureSchema(c.env.DB, options.seed ? () => applySeed(c.env.DB, options.seed!) : undefined);
    await next();
  });

  app.onError((err, c) => {
    if (err instanceof ConfigInputError) return c.json({ error: err.message }, 400);
    console.error("collector:", err);
    return c.json({ error: "internal error", message: String((err as Error)?.message ?? err) }, 500);
  });

  // ---- OTLP/HTTP JSON ingest ------------------------------------------------------------------------------

  app.post("/v1/traces", async (c) => {
    const settings = c.get("settings");
    const auth = bearerProblem(c.req.raw, settings.apiKey, "COLLECTOR_API_KEY");
    if (auth) return otlpError(c, 401, RPC.UNAUTHENTICATED, auth);
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (!type.includes("application/json")) {
      return otlpError(c, 415, RPC.UNIMPLEMENTED, `unsupported Content-Type "${type}": this collector accepts OTLP/HTTP JSON only (application/json; set the exporter's protocol to http/json)`);
    }
    let text: string;
    try {
      text = await readBody(c.req.raw, settings.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return otlpError(c, 413, RPC.RESOURCE_EXHAUSTED, `${err.message}; send smaller batches`);
      if (err instanceof BodyUnreadable) return otlpError(c, 400, RPC.INVALID_ARGUMENT, err.message);
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return otlpError(c, 400, RPC.INVALID_ARGUMENT, `body is not valid JSON: ${(err as Error).message}`);
    }
    let decoded;
    try {
      decoded = decodeTraceRequest(parsed);
    } catch (err) {
      if (err instanceof OtlpShapeError) return otlpError(c, 400, RPC.INVALID_ARGUMENT, `malformed ExportTraceServiceRequest at ${err.message}; nothing was stored`);
      throw err;
    }
    await storeSpans(c.env.DB, decoded.spans, settings.maxSpans);
    if (decoded.rejected > 0) {
      return c.json({ partialSuccess: { rejectedSpans: String(decoded.rejected), errorMessage: `${decoded.rejected} span(s) rejected; first: ${decoded.rejectReason}` } });
    }
    return c.json({});
  });

  // ---- Fallom config/prompt API (DESIGN 3.2) ------------------------------------------------------------

  const sdkAuth = async (c: Ctx, next: () => Promise<void>) => {
    const problem = bearerProblem(c.req.raw, c.get("settings").apiKey, "COLLECTOR_API_KEY");
    if (problem) return apiError(c, 401, problem);
    await next();
  };
  app.get("/configs", sdkAuth, async (c) => c.json({ configs: await listConfigs(c.env.DB) }));
  app.get("/configs/:key/version/:version", sdkAuth, async (c) => {
    const { key, version } = c.req.param();
    const config = /^\d+$/.test(version) ? await getConfig(c.env.DB, key, Number(version)) : undefined;
    return config ? c.json(config) : apiError(c, 404, `no config "${key}" version ${version}`);
  });
  app.post("/sessions", sdkAuth, async (c) => {
    await recordAssignment(c.env.DB, await jsonBody(c));
    return c.json({ ok: true });
  });
  app.get("/prompts", sdkAuth, async (c) => c.json({ prompts: await listPrompts(c.env.DB) }));
  app.get("/prompt-ab-tests", sdkAuth, async (c) => c.json({ prompt_ab_tests: await listPromptAbTests(c.env.DB) }));

  // ---- admin: every write is a new version ----------------------------------------------------------------

  const adminAuth = async (c: Ctx, next: () => Promise<void>) => {
    const problem = bearerProblem(c.req.raw, c.get("settings").adminKey, "COLLECTOR_ADMIN_KEY");
    if (problem) return apiError(c, 401, problem);
    await next();
  };
  app.post("/admin/configs", adminAuth, async (c) => c.json(await saveConfig(c.env.DB, parseConfigInput(await jsonBody(c))), 201));
  app.post("/admin/prompts", adminAuth, async (c) => c.json(await savePrompt(c.env.DB, parsePromptInput(await jsonBody(c))), 201));
  app.post("/admin/prompt-ab-tests", adminAuth, async (c) => c.json(await savePromptAbTest(c.env.DB, parsePromptAbTestInput(await jsonBody(c))), 201));

  // ---- viewer and its JSON API ----------------------------------------------------------------------------

  const viewerAuth = async (c: Ctx, next: () => Promise<void>) => {
    if (!viewerAllowed(c.req.raw, c.get("settings").viewerPassword)) {
      return c.text("password required", 401, { "WWW-Authenticate": 'Basic realm="fallom collector", charset="UTF-8"' });
    }
    await next();
  };
  app.use("/api/*", viewerAuth);
  app.get("/api/summary", async (c) => c.json(await totals(c.env.DB)));
  app.get("/api/traces", async (c) => c.json({ traces: await listTraces(c.env.DB, filtersFrom(c)) }));
  app.get("/api/traces/:traceId", async (c) => {
    const { traceId } = c.req.param();
    const trace = await getTrace(c.env.DB, traceId);
    return trace ? c.json(trace) : apiError(c, 404, `no trace ${traceId}`);
  });
  app.get("/api/sessions", async (c) => c.json({ sessions: await listSessions(c.env.DB) }));
  app.get("/api/ab", async (c) => c.json({ variants: await abResults(c.env.DB) }));

  app.get("/", viewerAuth, async (c) => {
    const filters = filtersFrom(c);
    const [traces, menus, sums] = await Promise.all([listTraces(c.env.DB, filters), facets(c.env.DB), totals(c.env.DB)]);
    return c.html(tracesPage({ traces, filters, menus, totals: sums }));
  });
  app.get("/traces/:traceId", viewerAuth, async (c) => {
    const { traceId } = c.req.param();
    const trace = await getTrace(c.env.DB, traceId);
    return trace ? c.html(tracePage(trace)) : c.html(notFoundPage(`No trace ${traceId}.`), 404);
  });
  app.get("/sessions", viewerAuth, async (c) => c.html(sessionsPage(await listSessions(c.env.DB))));
  app.get("/ab", viewerAuth, async (c) => c.html(abPage(await abResults(c.env.DB))));

  return app;
}
