// Fallom's config and prompt API shapes (DESIGN 3.2), as its backend serves them.

export interface ModelVariant {
  model: string;
  /** percent */
  weight: number;
}

export interface TargetingCondition {
  field: string;
  operator: "eq" | "neq" | "in" | "nin" | "contains" | "startsWith" | "endsWith";
  value: string | string[];
}

export interface Targeting {
  enabled?: boolean;
  individualTargets?: { field: string; value: string; variantIndex: number }[];
  rules?: { conditions: TargetingCondition[]; variantIndex: number }[];
}

export interface ModelConfig {
  key: string;
  version: number;
  /** a list, or an object of named variants */
  variants: ModelVariant[] | Record<string, ModelVariant>;
  targeting?: Targeting | null;
}

export interface PromptRecord {
  key: string;
  version: number;
  system_prompt?: string | null;
  user_template?: string | null;
}

export interface PromptABTest {
  key: string;
  version: number;
  variants: { prompt_key: string; prompt_version?: number | null; weight: number }[];
}

/** What `prompts.get` / `prompts.getAB` return */
export interface PromptResult {
  key: string;
  version: number;
  system: string;
  user: string;
  /** set by getAB */
  abTestKey?: string;
  /** set by getAB */
  variantIndex?: number;
}

export type { CacheStore } from "../core/options";
