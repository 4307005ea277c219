import type { ModelConfig, PromptABTest, PromptRecord } from "./types";
import type { ResourceKind } from "./validate";

/** Versions of one key; `latest` is the one the origin lists last (as Fallom's SDKs pick it). */
export interface Versions<T> {
  latest: T;
  versions: Map<number, T>;
}

function byKey<T extends { key: string; version?: number }>(items: T[]): Map<string, Versions<T>> {
  const index = new Map<string, Versions<T>>();
  for (const item of items) {
    const known = index.get(item.key);
    // a config without a version is version 1 (Fallom's rule)
    const version = item.version || 1;
    if (known) {
      known.latest = item;
      known.versions.set(version, item);
    } else index.set(item.key, { latest: item, versions: new Map([[version, item]]) });
  }
  return index;
}

/** Lookup structure built once per validated snapshot, so a get() is a Map lookup. */
export const indexers: Record<ResourceKind, (body: any) => unknown> = {
  configs: (body: { configs: ModelConfig[] }) => byKey(body.configs),
  config: (body: ModelConfig) => body,
  prompts: (body: { prompts: PromptRecord[] }) => byKey(body.prompts),
  abTests: (body: { prompt_ab_tests: PromptABTest[] }) => byKey(body.prompt_ab_tests),
};
