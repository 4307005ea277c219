// prompts.get / prompts.getAB: Fallom's managed prompts and prompt A/B tests (DESIGN 3.2).
import type { Session } from "../core/index";
import { configOptions, type ConfigOptions } from "./settings";
import { bucketOf, pickVariant } from "./assignment";
import { read } from "./cache";
import { link } from "./linkage";
import type { Versions } from "./snapshot";
import { render } from "./template";
import type { PromptABTest, PromptRecord, PromptResult } from "./types";

export interface PromptOptions {
  /** `{{ name }}` values */
  variables?: Record<string, unknown>;
  /** Pin a prompt version; default: the current one */
  version?: number;
}

const options_ = (o: unknown): PromptOptions => (o && typeof o == "object" ? o : {});

function sdk(what: string): ConfigOptions {
  const o = configOptions();
  if (!o) throw new Error(`${what}: the SDK is not initialised or has no apiKey; call fallom.init({ apiKey }) first`);
  return o;
}

async function findPrompt(o: ConfigOptions, key: string, version: number | undefined, from = ""): Promise<PromptRecord> {
  const all = await read(o, o.promptsUrl + "/prompts", "prompts", Infinity);
  const known: Versions<PromptRecord> | undefined = all?.index.get(key);
  if (!known) throw new Error(`Prompt '${key}'${from} not found. Check that it exists in your Fallom dashboard.`);
  const record = version == null ? known.latest : known.versions.get(version);
  if (!record) throw new Error(`Prompt '${key}' version ${version}${from} not found.`);
  return record;
}

const result = (record: PromptRecord, variables: Record<string, unknown> | undefined): PromptResult => ({
  key: record.key,
  version: record.version,
  system: render(record.system_prompt ?? "", variables),
  user: render(record.user_template ?? "", variables),
});

/** @internal prompts.get with the session whose spans get the linkage */
export async function getPrompt(promptKey: string, options?: PromptOptions, session?: Session): Promise<PromptResult> {
  if (typeof promptKey != "string" || !promptKey) throw new TypeError("prompts.get(promptKey): promptKey must be a non-empty string");
  const { variables, version } = options_(options);
  const o = sdk(`prompts.get('${promptKey}')`);
  const record = await findPrompt(o, promptKey, version);
  link(session, session?.getContext().sessionId, { "gen_ai.prompt.name": record.key, "fallom.prompt.version": record.version });
  return result(record, variables);
}

/** @internal prompts.getAB with the session whose spans get the linkage */
export async function getPromptAB(abTestKey: string, sessionId: string, options?: PromptOptions, session?: Session): Promise<PromptResult> {
  if (typeof abTestKey != "string" || !abTestKey) throw new TypeError("prompts.getAB(abTestKey, sessionId): abTestKey must be a non-empty string");
  if (typeof sessionId != "string") throw new TypeError(`prompts.getAB('${abTestKey}', sessionId): sessionId must be a string (it decides the sticky variant)`);
  const { variables } = options_(options);
  const o = sdk(`prompts.getAB('${abTestKey}')`);
  const tests = await read(o, o.promptsUrl + "/prompt-ab-tests", "abTests", Infinity);
  const test: PromptABTest | undefined = (tests?.index.get(abTestKey) as Versions<PromptABTest> | undefined)?.latest;
  if (!test) throw new Error(`Prompt A/B test '${abTestKey}' not found. Check that it exists in your Fallom dashboard.`);
  if (!test.variants.length) throw new Error(`Prompt A/B test '${abTestKey}' has no variants configured.`);
  const variantIndex = pickVariant(test.variants, bucketOf(sessionId));
  const variant = test.variants[variantIndex]!;
  const record = await findPrompt(o, variant.prompt_key, variant.prompt_version ?? undefined, ` (from A/B test '${abTestKey}')`);
  link(session, sessionId, {
    "gen_ai.prompt.name": record.key,
    "fallom.prompt.version": record.version,
    "fallom.prompt.ab_test_key": abTestKey,
    "fallom.prompt.variant_index": variantIndex,
  });
  return { ...result(record, variables), abTestKey, variantIndex };
}

/** Fallom's managed prompts: `prompts.get(promptKey, { variables, version })`, `prompts.getAB(abTestKey, sessionId, { variables })`. */
export const prompts = {
  /** `{ key, version, system, user }` with `{{ var }}` rendered; an unknown key or version is an error naming it. */
  get: (promptKey: string, options?: PromptOptions): Promise<PromptResult> => getPrompt(promptKey, options),
  /** The session's sticky variant of a prompt A/B test: `{ key, version, system, user, abTestKey, variantIndex }`. */
  getAB: (abTestKey: string, sessionId: string, options?: PromptOptions): Promise<PromptResult> => getPromptAB(abTestKey, sessionId, options),
};
