// The collector's Fallom config/prompt API (DESIGN 3.2), seeded from worker-example/collector/seed.json, the
// admin endpoints that add versions, and the viewer's optional password.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCollector } from "../../demo/workers.mjs";

type Started = Awaited<ReturnType<typeof startCollector>>;
let c: Started;
const seed = JSON.parse(readFileSync(new URL("../../worker-example/collector/seed.json", import.meta.url), "utf8"));

beforeAll(async () => {
  c = await startCollector({ apiKey: "sdk-key", bindings: { COLLECTOR_ADMIN_KEY: "admin-key", VIEWER_PASSWORD: "viewer-pw" } });
});
afterAll(() => c?.dispose());

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

it("serves the seeded configs, prompts and prompt A/B tests in Fallom's shapes", async () => {
  const configs = await call("GET", "/configs", "sdk-key");
  expect(configs.status).toBe(200);
  expect(configs.json).toEqual({ configs: seed.configs });
  expect((await call("GET", "/configs/support-bot/version/1", "sdk-key")).json).toEqual(seed.configs[0]);
  const prompts = await call("GET", "/prompts", "sdk-key");
  expect(prompts.json.prompts).toEqual(expect.arrayContaining(seed.prompts));
  expect(Object.keys(prompts.json.prompts[0]).sort()).toEqual(["key", "system_prompt", "user_template", "version"]);
  expect((await call("GET", "/prompt-ab-tests", "sdk-key")).json).toEqual({ prompt_ab_tests: seed.prompt_ab_tests });
});

it("needs the SDK's Bearer key; unknown versions are 404", async () => {
  for (const path of ["/configs", "/prompts", "/prompt-ab-tests", "/configs/support-bot/version/1"]) {
    expect((await call("GET", path, undefined)).status).toBe(401);
    expect((await call("GET", path, "nope")).status).toBe(401);
  }
  const missing = await call("GET", "/configs/support-bot/version/99", "sdk-key");
  expect(missing).toMatchObject({ status: 404, json: { error: 'no config "support-bot" version 99' } });
});

it("POST /sessions records an assignment (last one per config and session wins)", async () => {
  const body = { config_key: "support-bot", config_version: 1, session_id: "s-1", assigned_model: "gpt-4o-mini" };
  expect(await call("POST", "/sessions", "sdk-key", body)).toMatchObject({ status: 200, json: { ok: true } });
  expect(await call("POST", "/sessions", "sdk-key", { ...body, assigned_model: "gpt-4.1-mini" })).toMatchObject({ status: 200 });
  expect((await call("POST", "/sessions", "sdk-key", { config_key: "support-bot" })).status).toBe(400);
  const rows = await c.mf.getD1Database("DB").then((db) => db.prepare("SELECT assigned_model FROM session_assignments WHERE session_id = 's-1'").all());
  expect(rows.results).toEqual([{ assigned_model: "gpt-4.1-mini" }]);
});

it("admin endpoints add a new version of a config, prompt or prompt A/B test, which the read endpoints then serve", async () => {
  const config = await call("POST", "/admin/configs", "admin-key", { key: "support-bot", variants: [{ model: "gpt-4o", weight: 100 }] });
  expect(config).toMatchObject({ status: 201, json: { key: "support-bot", version: 2 } });
  expect((await call("GET", "/configs", "sdk-key")).json.configs).toEqual([{ key: "support-bot", version: 2, variants: [{ model: "gpt-4o", weight: 100 }] }]);
  expect((await call("GET", "/configs/support-bot/version/1", "sdk-key")).json).toEqual(seed.configs[0]); // old versions stay

  const prompt = await call("POST", "/admin/prompts", "admin-key", { key: "support-concise", system_prompt: "Be brief, {{customerName}}." });
  expect(prompt).toMatchObject({ status: 201, json: { key: "support-concise", version: 2, user_template: "" } });
  const prompts = (await call("GET", "/prompts", "sdk-key")).json.prompts as Array<{ key: string; version: number }>;
  expect(prompts.filter((p) => p.key === "support-concise").map((p) => p.version)).toEqual([2, 1]); // newest first

  const ab = await call("POST", "/admin/prompt-ab-tests", "admin-key", { key: "support-tone", variants: [{ prompt_key: "support-concise", prompt_version: 2, weight: 100 }] });
  expect(ab).toMatchObject({ status: 201, json: { version: 2 } });
  expect((await call("GET", "/prompt-ab-tests", "sdk-key")).json.prompt_ab_tests[0]).toEqual({ key: "support-tone", version: 2, variants: [{ prompt_key: "support-concise", prompt_version: 2, weight: 100 }] });
});

it("admin endpoints need the admin key and explain what is wrong with a body", async () => {
  expect((await call("POST", "/admin/configs", "sdk-key", { key: "x", variants: [{ model: "m", weight: 100 }] })).status).toBe(401);
  const cases: Array<[string, unknown, RegExp]> = [
    ["/admin/configs", "{", /body is not valid JSON/],
    ["/admin/configs", { key: "x", variants: [{ model: "a", weight: 60 }, { model: "b", weight: 30 }] }, /weights add up to 90, expected 100/],
    ["/admin/configs", { key: "has space", variants: [] }, /key: expected a key/],
    ["/admin/configs", { key: "x", variants: [{ weight: 100 }] }, /variants\[0\]\.model: expected a model id/],
    ["/admin/prompts", { key: "p" }, /system_prompt: expected a string/],
    ["/admin/prompt-ab-tests", { key: "t", variants: [{ prompt_key: "p", prompt_version: 0, weight: 100 }] }, /prompt_version: expected a version number or null/],
  ];
  for (const [path, body, message] of cases) {
    const res = await call("POST", path, "admin-key", body);
    expect(res.status, String(message)).toBe(400);
    expect(res.json.error).toMatch(message);
  }
});

it("with VIEWER_PASSWORD the viewer and its JSON API ask for HTTP Basic auth; the SDK endpoints keep their Bearer key", async () => {
  for (const path of ["/", "/sessions", "/ab", "/api/traces", "/api/summary"]) {
    const res = await fetch(`${c.url}${path}`);
    expect(res.status, path).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect((await fetch(`${c.url}${path}`, { headers: { authorization: `Basic ${btoa("anyone:wrong")}` } })).status).toBe(401);
    expect((await fetch(`${c.url}${path}`, { headers: { authorization: `Basic ${btoa("anyone:viewer-pw")}` } })).status).toBe(200);
  }
  expect((await call("GET", "/configs", "sdk-key")).status).toBe(200);
});
