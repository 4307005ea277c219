import type { Targeting } from "./types";

/**
 * The variant index targeting picks for `{ ...context, customerId }`, or null: individual targets first (exact match),
 * then rules (every condition must match), exactly as Fallom's SDKs evaluate them.
 */
export function evaluateTargeting(targeting: Targeting | null | undefined, customerId?: string, context?: Record<string, unknown>): number | null {
  if (!targeting || targeting.enabled === false) return null;
  const values: Record<string, unknown> = { ...context };
  if (customerId) values.customerId = customerId;
  for (const target of targeting.individualTargets ?? []) {
    if (values[target.field] === target.value) return target.variantIndex;
  }
  for (const rule of targeting.rules ?? []) {
    if (rule.conditions.every((c) => matches(values[c.field], c.operator, c.value))) return rule.variantIndex;
  }
  return null;
}

function matches(field: unknown, operator: string, value: unknown): boolean {
  if (field === undefined) return false;
  const text = typeof value == "string";
  switch (operator) {
    case "eq":
      return field === value;
    case "neq":
      return field !== value;
    case "in":
      return Array.isArray(value) && value.includes(field);
    case "nin":
      return Array.isArray(value) && !value.includes(field);
    case "contains":
      return text && typeof field == "string" && field.includes(value);
    case "startsWith":
      return text && typeof field == "string" && field.startsWith(value);
    case "endsWith":
      return text && typeof field == "string" && field.endsWith(value);
  }
  return false;
}
