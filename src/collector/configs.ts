// Model configs, prompts and prompt A/B tests in D1, in the shapes of Fallom's API (DESIGN 3.2). Every change is
// a new version; reads return the newest version first, so an SDK picks up a change after its cache TTL.
import type { D1Database } from "./d1";

export interface ModelVariant {
  model: string;
  weight: number;
}

export interface Config {
  key: string;
  version: number;
  variants: ModelVariant[] | Record<string, ModelVariant>;
  targeting?: unknown;
}

export interface Prompt {
  key: string;
  version: number;
  system_prompt: string;
  user_template: string;
}

export interface PromptAbTest {
  key: string;
  version: number;
  variants: Array<{ prompt_key: string; prompt_version: number | null; weight: number }>;
}

export interface Seed {
  configs?: Config[];
  prompts?: Prompt[];
  prompt_ab_tests?: PromptAbTest[];
}

export class ConfigInputError extends Error {}

const fail = (message: string): never => {
  throw new ConfigInputError(message);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function key(v: unknown, what: string): string {
  if (typeof v !== "string" || !/^[\w.:-]{1,128}$/.test(v)) fail(`${what}: expected a key of letters, digits, "_", "-", ".", ":" (1–128 characters)`);
  return v as string;
}

function weight(v: unknown, where: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) fail(`${where}.weight: expected a percentage from 0 to 100`);
  return v as number;
}

function checkWeights(weights: number[], where: string): void {
  const total = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) fail(`${where}: expected at least one variant`);
  if (Math.abs(total - 100) > 1e-6) fail(`${where}: weights add up to ${total}, expected 100`);
}

function modelVariant(v: unknown, where: string): ModelVariant {
  if (!isObject(v)) return fail(`${where}: expected { model, weight }`);
  if (typeof v.model !== "string" || v.model === "") fail(`${where}.model: expected a model id`);
  return { model: v.model as string, weight: weight(v.weight, where) };
}

/** Validates an admin/seed config body (without version). */
export function parseConfigInput(body: unknown): Omit<Config, "version"> {
  if (!isObject(body)) return fail("expected a JSON object { key, variants, targeting? }");
  const k = key(body.key, "key");
  let variants: Config["variants"];
  if (Array.isArray(body.variants)) {
    variants = body.variants.map((v, i) => modelVariant(v, `variants[${i}]`));
    checkWeights(variants.map((v) => v.weight), "variants");
  } else if (isObject(body.variants)) {
    const named: Record<string, ModelVariant> = {};
    for (const [name, v] of Object.entries(body.variants)) named[name] = modelVariant(v, `variants.${name}`);
    checkWeights(Object.values(named).map((v) => v.weight), "variants");
    variants = named;
  } else {
    return fail("variants: expected [{ model, weight }] or { name: { model, weight } }");
  }
  if (body.targeting !== undefined && !isObject(body.targeting)) fail("targeting: expected an object { enabled?, individualTargets?, rules? }");
  return body.targeting === undefined ? { key: k, variants } : { key: k, variants, targeting: body.targeting };
}

export function parsePromptInput(body: unknown): Omit<Prompt, "version"> {
  if (!isObject(body)) return fail("expected a JSON object { key, system_prompt, user_template? }");
  const k = key(body.key, "key");
  if (typeof body.system_prompt !== "string") fail("system_prompt: expected a string");
  if (body.user_template !== undefined && typeof body.user_template !== "string") fail("user_template: expected a string");
  return { key: k, system_prompt: body.system_prompt as string, user_template: (body.user_template as string | undefined) ?? "" };
}

export function parsePromptAbTestInput(body: unknown): Omit<PromptAbTest, "version"> {
  if (!isObject(body)) return fail("expected a JSON object { key, variants: [{ prompt_key, prompt_version?, weight }] }");
  const k = key(body.key, "key");
  if (!Array.isArray(body.variants)) return fail("variants: expected [{ prompt_key, prompt_version?, weight }]");
  const variants = body.variants.map((v, i) => {
    if (!isObject(v)) return fail(`variants[${i}]: expected { prompt_key, prompt_version?, weight }`);
    const version = v.prompt_version ?? null;
    if (version !== null && !(Number.isInteger(version) && (version as number) > 0)) fail(`variants[${i}].prompt_version: expected a version number or null (latest)`);
    return { prompt_key: key(v.prompt_key, `variants[${i}].prompt_key`), prompt_version: version as number | null, weight: weight(v.weight, `variants[${i}]`) };
  });
  checkWeights(variants.map((v) => v.weight), "variants");
  return { key: k, variants };
}

const now = () => Date.now();

async function nextVersion(db: D1Database, table: string, k: string): Promise<number> {
  const row = await db.prepare(`SELECT MAX(version) AS v FROM ${table} WHERE key = ?1`).bind(k).first<{ v: number | null }>();
  return (row?.v ?? 0) + 1;
}

export async function saveConfig(db: D1Database, input: Omit<Config, "version">): Promise<Config> {
  const config = { ...input, version: await nextVersion(db, "configs", input.key) };
  await db.prepare("INSERT INTO configs (key, version, body, created_at) VALUES (?1, ?2, ?3, ?4)").bind(config.key, config.version, JSON.stringify(config), now()).run();
  return config;
}

export async function savePrompt(db: D1Database, input: Omit<Prompt, "version">): Promise<Prompt> {
  const prompt = { ...input, version: await nextVersion(db, "prompts", input.key) };
  await db
    .prepare("INSERT INTO prompts (key, version, system_prompt, user_template, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(prompt.key, prompt.version, prompt.system_prompt, prompt.user_template, now())
    .run();
  return prompt;
}

export async function savePromptAbTest(db: D1Database, input: Omit<PromptAbTest, "version">): Promise<PromptAbTest> {
  const test = { ...input, version: await nextVersion(db, "prompt_ab_tests", input.key) };
  await db.prepare("INSERT INTO prompt_ab_tests (key, version, variants, created_at) VALUES (?1, ?2, ?3, ?4)").bind(test.key, test.version, JSON.stringify(test.variants), now()).run();
  return test;
}

/** Inserts the seed's versions that are not stored yet (never overwrites a stored version). */
export async function applySeed(db: D1Database, seed: Seed): Promise<void> {
  const version = (v: unknown) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : 1);
  const statements = [
    ...(seed.configs ?? []).map((c) => {
      const config = { ...parseConfigInput(c), version: version(c.version) };
      return db.prepare("INSERT OR IGNORE INTO configs (key, version, body, created_at) VALUES (?1, ?2, ?3, ?4)").bind(config.key, config.version, JSON.stringify(config), now());
    }),
    ...(seed.prompts ?? []).map((p) => {
      const prompt = parsePromptInput(p);
      return db
        .prepare("INSERT OR IGNORE INTO prompts (key, version, system_prompt, user_template, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(prompt.key, version(p.version), prompt.system_prompt, prompt.user_template, now());
    }),
    ...(seed.prompt_ab_tests ?? []).map((t) => {
      const test = parsePromptAbTestInput(t);
      return db.prepare("INSERT OR IGNORE INTO prompt_ab_tests (key, version, variants, created_at) VALUES (?1, ?2, ?3, ?4)").bind(test.key, version(t.version), JSON.stringify(test.variants), now());
    }),
  ];
  if (statements.length > 0) await db.batch(statements);
}

/** The newest version of every config. */
export async function listConfigs(db: D1Database): Promise<Config[]> {
  const { results } = await db
    .prepare("SELECT body FROM configs c WHERE version = (SELECT MAX(version) FROM configs WHERE key = c.key) ORDER BY key")
    .all<{ body: string }>();
  return results.map((r) => JSON.parse(r.body) as Config);
}

export async function getConfig(db: D1Database, k: string, version: number): Promise<Config | undefined> {
  const row = await db.prepare("SELECT body FROM configs WHERE key = ?1 AND version = ?2").bind(k, version).first<{ body: string }>();
  return row ? (JSON.parse(row.body) as Config) : undefined;
}

/** Every version of every prompt, newest version of each key first. */
export async function listPrompts(db: D1Database): Promise<Prompt[]> {
  const { results } = await db.prepare("SELECT key, version, system_prompt, user_template FROM prompts ORDER BY key, version DESC").all<Prompt>();
  return results;
}

export async function listPromptAbTests(db: D1Database): Promise<PromptAbTest[]> {
  const { results } = await db.prepare("SELECT key, version, variants FROM prompt_ab_tests ORDER BY key, version DESC").all<{ key: string; version: number; variants: string }>();
  return results.map((r) => ({ key: r.key, version: r.version, variants: JSON.parse(r.variants) }));
}

export async function recordAssignment(db: D1Database, body: unknown): Promise<void> {
  if (!isObject(body)) fail("expected { config_key, config_version, session_id, assigned_model }");
  const b = body as Record<string, unknown>;
  const configKey = key(b.config_key, "config_key");
  if (typeof b.session_id !== "string" || b.session_id === "") fail("session_id: expected a string");
  if (typeof b.assigned_model !== "string" || b.assigned_model === "") fail("assigned_model: expected a string");
  const version = Number.isInteger(b.config_version) ? (b.config_version as number) : null;
  await db
    .prepare("INSERT OR REPLACE INTO session_assignments (config_key, config_version, session_id, assigned_model, received_at) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(configKey, version, b.session_id, b.assigned_model, now())
    .run();
}
