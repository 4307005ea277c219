// Hand validators for the origin's JSON (a zod/mini schema of the same shapes costs several KB more; see bench/README.md).
// Each returns a problem description, or undefined when the body has the expected shape.

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v == "object" && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v == "number" && Number.isFinite(v);
const list = (body: unknown, field: string, each: (item: any) => string | undefined): string | undefined => {
  const items = isObject(body) ? body[field] : undefined;
  if (!Array.isArray(items)) return `expected { ${field}: [...] }`;
  for (let i = 0; i < items.length; i++) {
    const problem = each(items[i]);
    if (problem) return `${field}[${i}]: ${problem}`;
  }
};

function checkTargeting(t: any): string | undefined {
  if (t == null) return;
  if (!isObject(t)) return "targeting must be an object";
  for (const target of t.individualTargets ?? []) {
    if (!isObject(target) || typeof target.field != "string" || !isNumber(target.variantIndex)) return "bad individual target";
  }
  for (const rule of t.rules ?? []) {
    if (!isObject(rule) || !Array.isArray(rule.conditions) || !isNumber(rule.variantIndex)) return "bad targeting rule";
    for (const c of rule.conditions) if (!isObject(c) || typeof c.field != "string" || typeof c.operator != "string") return "bad rule condition";
  }
}

/** `{ key, version, variants: [{ model, weight }] | { name: { model, weight } }, targeting? }` */
export function checkConfig(c: any): string | undefined {
  if (!isObject(c) || typeof c.key != "string") return "a config needs a string key";
  if (c.version != null && !isNumber(c.version)) return `config '${c.key}': version must be a number`;
  const variants = Array.isArray(c.variants) ? c.variants : isObject(c.variants) ? Object.values(c.variants) : undefined;
  if (!variants?.length) return `config '${c.key}': variants must be a non-empty list or object`;
  for (const v of variants) if (!isObject(v) || typeof v.model != "string" || !isNumber(v.weight)) return `config '${c.key}': each variant needs { model, weight }`;
  return checkTargeting(c.targeting);
}

function checkPrompt(p: any): string | undefined {
  if (!isObject(p) || typeof p.key != "string" || !isNumber(p.version)) return "a prompt needs { key, version }";
  for (const field of ["system_prompt", "user_template"]) if (p[field] != null && typeof p[field] != "string") return `prompt '${p.key}': ${field} must be a string`;
}

function checkABTest(t: any): string | undefined {
  if (!isObject(t) || typeof t.key != "string" || !isNumber(t.version) || !Array.isArray(t.variants)) return "an A/B test needs { key, version, variants }";
  for (const v of t.variants) {
    if (!isObject(v) || typeof v.prompt_key != "string" || !isNumber(v.weight) || (v.prompt_version != null && !isNumber(v.prompt_version))) {
      return `A/B test '${t.key}': each variant needs { prompt_key, prompt_version, weight }`;
    }
  }
}

/** Validator per origin resource */
export const validators = {
  configs: (body: unknown) => list(body, "configs", checkConfig),
  config: checkConfig,
  prompts: (body: unknown) => list(body, "prompts", checkPrompt),
  abTests: (body: unknown) => list(body, "prompt_ab_tests", checkABTest),
};

export type ResourceKind = keyof typeof validators;
