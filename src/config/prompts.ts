// prompts.get / prompts.getAB: Fallom's managed prompts and prompt A/B tests (DESIGN 3.2).
import type { Session } from "../core/index";
import { bucketOf, pickVariant } from "./assignment";
import { peek, read, type Entry } from "./cache";
import { link } from "./linkage";
import { configOptions, type ConfigOptions } from "./settings";
import type { Versions } from "./snapshot";
import { render } from "./template";
import type { PromptABTest, PromptRecord, PromptResult } from "./types";

export interface PromptOptions {
  /** `{{ name }}` values */
  variables?: Record<string, unknown>;
  /** Pin a prompt version; default: the current one */
  version?: number;
}

const NO_OPTIONS: PromptOptions = {};

function sdk(what: string): ConfigOptions {
  const o = configOptions();
  if (!o) throw new Error(`${what}: the SDK is not initialised or has no apiKey; call fallom.init({ apiKey }) first`);
  return o;
}

function pick(prompts: Entry | undefined, key: string, version: number | undefined, from = ""): PromptRecord {
  if (!prompts) throw new Error(`Prompt '${key}'${from}: prompts are unavailable (origin unreachable or failing, nothing cached; see onError)`);
  const known: Versions<PromptRecord> | undefined = prompts?.index.get(key);
  if (!known) throw new Error(`Prompt '${key}'${from} not found. Check that it exists in your Fallom dashboard.`);
  const record = version == null ? known.latest : known.versions.get(version);
  if (!record) throw new Error(`Prompt '${key}' version ${version}${from} not found.`);
  return record;
}

// linkage attributes, built once per prompt record (and per A/B variant): the warm path allocates only the result
const promptLinks = new WeakMap<PromptRecord, Record<string, unknown>>();
const abLinks = new WeakMap<PromptABTest, Record<string, unknown>[]>();

function promptLink(record: PromptRecord): Record<string, unknown> {
  let attributes = promptLinks.get(record);
  if (!attributes) promptLinks.set(record, (attributes = { "gen_ai.prompt.name": record.key, "fallom.prompt.version": record.version }));
  return attributes;
}

function abLink(test: PromptABTest, index: number, record: PromptRecord): Record<string, unknown> {
  let list = abLinks.get(test);
  if (!list) abLinks.set(test, (list = []));
  const known = list[index];
  if (known?.["gen_ai.prompt.name"] === record.key && known["fallom.prompt.version"] === record.version) return known;
  return (list[index] = {
    "gen_ai.prompt.name": record.key,
    "fallom.prompt.version": record.version,
    "fallom.prompt.ab_test_key": test.key,
    "fallom.prompt.variant_index": index,
  });
}

const result = (record: PromptRecord, variables: Record<string, unknown> | undefined): PromptResult => ({
  key: record.key,
  version: record.version,
  system: render(record.system_prompt ?? "", variables),
  user: render(record.user_template ?? "", variables),
});

function served(record: PromptRecord, variables: Record<string, unknown> | undefined, session?: Session): PromptResult {
  link("prompt", session, session?.getContext().sessionId, promptLink(record));
  return result(record, variables);
}

/** @internal prompts.get with the session whose spans get the linkage */
export function getPrompt(promptKey: string, options?: PromptOptions, session?: Session): Promise<PromptResult> {
  const { variables, version } = options && typeof options == "object" ? options : NO_OPTIONS;
  try {
    if (typeof promptKey != "string" || !promptKey) throw new TypeError("prompts.get(promptKey): promptKey must be a non-empty string");
    const o = sdk(`prompts.get('${promptKey}')`);
    // warm path, synchronous: the in-memory snapshot
    const snapshot = peek(o, o.urls.prompts, "prompts");
    if (snapshot) return Promise.resolve(served(pick(snapshot, promptKey, version), variables, session));
    return read(o, o.urls.prompts, "prompts", Infinity).then((all) => served(pick(all, promptKey, version), variables, session));
  } catch (error) {
    return Promise.reject(error);
  }
}

async function getPromptABSlowly(o: ConfigOptions, abTestKey: string, sessionId: string, variables: PromptOptions["variables"], session?: Session): Promise<PromptResult> {
  const tests = await read(o, o.urls.abTests, "abTests", Infinity);
  if (!tests) throw new Error(`Prompt A/B test '${abTestKey}': A/B tests are unavailable (origin unreachable or failing, nothing cached; see onError)`);
  const test: PromptABTest | undefined = (tests?.index.get(abTestKey) as Versions<PromptABTest> | undefined)?.latest;
  if (!test) throw new Error(`Prompt A/B test '${abTestKey}' not found. Check that it exists in your Fallom dashboard.`);
  if (!test.variants.length) throw new Error(`Prompt A/B test '${abTestKey}' has no variants configured.`);
  const index = pickVariant(test.variants, bucketOf(sessionId));
  const variant = test.variants[index]!;
  const record = pick(await read(o, o.urls.prompts, "prompts", Infinity), variant.prompt_key, variant.prompt_version ?? undefined, ` (from A/B test '${abTestKey}')`);
  link("prompt", session, sessionId, abLink(test, index, record));
  return { ...result(record, variables), abTestKey, variantIndex: index };
}

/** @internal prompts.getAB with the session whose spans get the linkage */
export function getPromptAB(abTestKey: string, sessionId: string, options?: PromptOptions, session?: Session): Promise<PromptResult> {
  try {
    if (typeof abTestKey != "string" || !abTestKey) throw new TypeError("prompts.getAB(abTestKey, sessionId): abTestKey must be a non-empty string");
    if (typeof sessionId != "string") throw new TypeError(`prompts.getAB('${abTestKey}', sessionId): sessionId must be a string (it decides the sticky variant)`);
    const { variables } = options && typeof options == "object" ? options : NO_OPTIONS;
    return getPromptABSlowly(sdk(`prompts.getAB('${abTestKey}')`), abTestKey, sessionId, variables, session);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Fallom's managed prompts: `prompts.get(promptKey, { variables, version })`, `prompts.getAB(abTestKey, sessionId, { variables })`. */
export const prompts = {
  /** `{ key, version, system, user }` with `{{ var }}` rendered; an unknown key or version is an error naming it. */
  get: (promptKey: string, options?: PromptOptions): Promise<PromptResult> => getPrompt(promptKey, options),
  /** The session's sticky variant of a prompt A/B test: `{ key, version, system, user, abTestKey, variantIndex }`. */
  getAB: (abTestKey: string, sessionId: string, options?: PromptOptions): Promise<PromptResult> => getPromptAB(abTestKey, sessionId, options),
};
