// The SDK's own config/prompt client against the collector: seeded prompts and A/B tests resolve, assignments are
// recorded, and a variant changed through the admin API is picked up once the SDK's cache TTL has passed.
import { afterAll, beforeAll, expect, it } from "vitest";
import fallom, { models, prompts } from "../../src/index";
import { _reset } from "../../src/core/sdk";
import { startCollector } from "../../demo/workers.mjs";

let c: Awaited<ReturnType<typeof startCollector>>;
const CACHE_TTL_MS = 200;

beforeAll(async () => {
  c = await startCollector({ apiKey: "client-key" });
  _reset();
  await fallom.init({ apiKey: "client-key", baseUrl: c.url, flushIntervalMs: 0, cacheTtlMs: CACHE_TTL_MS });
});

afterAll(async () => {
  _reset();
  await c?.dispose();
});

it("prompts.get and prompts.getAB render the seeded prompts", async () => {
  const concise = await prompts.get("support-concise", { variables: { customerName: "Ada", question: "Hi?" } });
  expect(concise).toMatchObject({ key: "support-concise", version: 1, user: "Hi?" });
  expect(concise.system).toContain("Answer Ada in one or two plain sentences.");
  const keys = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const p = await prompts.getAB("support-tone", `client-session-${i}`, { variables: { customerName: "Ada" } });
    expect(p).toMatchObject({ abTestKey: "support-tone" });
    expect(p.variantIndex).toBe(p.key === "support-friendly" ? 0 : 1);
    keys.add(p.key);
  }
  expect([...keys].sort()).toEqual(["support-concise", "support-friendly"]);
});

it("models.get assigns a seeded model, sticky per session, and the assignment is recorded by POST /sessions", async () => {
  const first = await models.get("support-bot", "client-session-1");
  expect(["gpt-4o-mini", "gpt-4.1-mini"]).toContain(first);
  expect(await models.get("support-bot", "client-session-1")).toBe(first);
  await fallom.flush();
  const db = await c.mf.getD1Database("DB");
  const rows = await db.prepare("SELECT assigned_model, config_version FROM session_assignments WHERE session_id = 'client-session-1'").all();
  expect(rows.results).toEqual([{ assigned_model: first, config_version: 1 }]);
});

it("a variant changed through the admin API reaches the SDK after its cache TTL", async () => {
  const res = await fetch(`${c.url}/admin/configs`, {
    method: "POST",
    headers: { authorization: "Bearer client-key", "content-type": "application/json" },
    body: JSON.stringify({ key: "support-bot", variants: [{ model: "gpt-4o", weight: 100 }] }),
  });
  expect(res.status).toBe(201);
  let model = "";
  const deadline = Date.now() + 10_000;
  while (model !== "gpt-4o" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, CACHE_TTL_MS));
    model = await models.get("support-bot", "client-session-1");
    await fallom.flush(); // settles the background refresh started by a stale read
  }
  expect(model).toBe("gpt-4o");
});
