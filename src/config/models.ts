// models.get: Fallom's model A/B configs — targeting first, then the sticky MD5 bucket walk (DESIGN 3.2).
import type { Session } from "../core/index";
import { configOptions, type ConfigOptions } from "./settings";
import { bucketOf, pickVariant } from "./assignment";
import { peek, read } from "./cache";
import { recordExposure } from "./exposure";
import { link } from "./linkage";
import type { Versions } from "./snapshot";
import { evaluateTargeting } from "./targeting";
import type { ModelConfig, ModelVariant } from "./types";

export interface ModelOptions {
  /** Pin a config version (fetched on demand); default: the latest */
  version?: number;
  /** Returned when anything fails (unknown config, origin down, SDK not initialised); then get() never throws */
  fallback?: string;
  /** For individual targeting (`customerId` field) */
  customerId?: string;
  /** Fields for targeting rules, e.g. `{ plan: "enterprise" }` */
  context?: Record<string, unknown>;
}

// linkage attributes per (config, variant): built once, so a warm get() allocates nothing but its promise
const linkCache = new WeakMap<ModelConfig, Record<string, unknown>[]>();
function linkAttributes(config: ModelConfig, version: number, index: number): Record<string, unknown> {
  let list = linkCache.get(config);
  if (!list) linkCache.set(config, (list = []));
  return (list[index] ??= { "fallom.model_config.key": config.key, "fallom.model_config.version": version, "fallom.model_config.variant_index": index });
}

async function findConfig(o: ConfigOptions, configKey: string, version: number | undefined, deadline: number): Promise<ModelConfig | undefined> {
  const all = await read(o, o.urls.configs, "configs", deadline);
  if (!all) throw new Error(`models.get('${configKey}'): configs are unavailable (origin unreachable or failing, nothing cached; see onError)`);
  const known: Versions<ModelConfig> | undefined = all?.index.get(configKey);
  if (version === undefined) return known?.latest;
  // a pinned version not in the snapshot is fetched on demand (and cached like a snapshot)
  return (
    known?.versions.get(version) ??
    ((await read(o, `${o.configsUrl}/configs/${encodeURIComponent(configKey)}/version/${version}`, "config", deadline))?.body as ModelConfig | undefined)
  );
}

const NO_OPTIONS: ModelOptions = {};

function sdk(configKey: unknown, sessionId: unknown): ConfigOptions {
  if (typeof configKey != "string" || !configKey) throw new TypeError("models.get(configKey, sessionId): configKey must be a non-empty string");
  if (typeof sessionId != "string") throw new TypeError(`models.get('${configKey}', sessionId): sessionId must be a string (it decides the sticky A/B variant)`);
  const o = configOptions();
  if (!o) throw new Error(`models.get('${configKey}'): the SDK is not initialised or has no apiKey; call fallom.init({ apiKey }) first, or pass a fallback.`);
  return o;
}

// targeting first, then the session's bucket; records the exposure and the session's linkage
function choose(o: ConfigOptions, config: ModelConfig, version: number | undefined, sessionId: string, options: ModelOptions, session?: Session): string {
  const variants: ModelVariant[] = Array.isArray(config.variants) ? config.variants : Object.values(config.variants);
  let index = evaluateTargeting(config.targeting, options.customerId, options.context);
  if (index === null || !variants[index]) index = pickVariant(variants, bucketOf(sessionId));
  const model = variants[index]!.model;
  const configVersion = config.version || version || 1;
  recordExposure(o, config, configVersion, sessionId, model);
  link("model", session, sessionId, linkAttributes(config, configVersion, index));
  return model;
}

// with a fallback: the fallback (and a one-time warning); without: the error
function fail(error: unknown, fallback: unknown): string {
  if (typeof fallback != "string") throw error;
  warnOnce(`${(error as Error)?.message ?? error} → using the fallback model ${fallback}`);
  return fallback;
}

async function assignSlowly(configKey: string, sessionId: string, options: ModelOptions, session?: Session): Promise<string> {
  try {
    const o = sdk(configKey, sessionId);
    const deadline = typeof options.fallback == "string" ? Date.now() + o.configTimeoutMs : Infinity;
    const config = await findConfig(o, configKey, options.version, deadline);
    if (!config) {
      throw new Error(`Config '${configKey}'${options.version === undefined ? "" : ` version ${options.version}`} not found. Check that it exists in your Fallom dashboard.`);
    }
    return choose(o, config, options.version, sessionId, options, session);
  } catch (error) {
    return fail(error, options.fallback);
  }
}

/** @internal models.get with the session whose spans get the linkage */
export function assignModel(configKey: string, sessionId: string, options: ModelOptions | undefined, session?: Session): Promise<string> {
  const opts = options && typeof options == "object" ? options : NO_OPTIONS;
  try {
    // warm path, synchronous: the latest version from the in-memory snapshot
    if (opts.version === undefined) {
      const o = sdk(configKey, sessionId);
      const config: ModelConfig | undefined = peek(o, o.urls.configs, "configs")?.index.get(configKey)?.latest;
      if (config) return Promise.resolve(choose(o, config, undefined, sessionId, opts, session));
    }
  } catch (error) {
    try {
      return Promise.resolve(fail(error, opts.fallback));
    } catch (rethrown) {
      return Promise.reject(rethrown);
    }
  }
  return assignSlowly(configKey, sessionId, opts, session);
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.size < 100 && !warned.has(message)) {
    warned.add(message);
    try {
      console.warn("[fallom] " + message);
    } catch {}
  }
}

/** Fallom's model A/B configs: `models.get(configKey, sessionId, { version, fallback, customerId, context })`. */
export const models = {
  /**
   * The model assigned to this session (sticky): targeting first, then the session's MD5 bucket. With `fallback` it
   * never throws and never waits longer than `configTimeoutMs`; without it an unknown config is an error naming the key.
   */
  get: (configKey: string, sessionId: string, options?: ModelOptions): Promise<string> => assignModel(configKey, sessionId, options),
};
