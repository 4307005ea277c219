import { redactUrl } from "./redact";
import { serialize } from "./serialize";
import type { AttributeValue, Attributes } from "./types";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// Attributes holding prompts/completions/tool payloads: never recorded when captureContent is false.
export const CONTENT_KEYS = new Set([
  "fallom.input",
  "fallom.output",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.system_instructions",
  "gen_ai.tool.definitions",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
]);

/** Any user value → an OTLP-friendly attribute value, cut to maxLength; `cut` reports truncation. */
export function toAttributeValue(value: Any, maxLength: number, cut?: () => void): AttributeValue | undefined {
  const t = typeof value;
  if (t == "string") {
    if (value.length > maxLength) cut?.(), (value = value.slice(0, maxLength));
    // secret query parameters (…?api_key=…) are redacted in plain strings too, not only inside objects
    return redactUrl(value);
  }
  // booleans ("boolean" and "bigint" sort before "c") and numbers; bigints and NaN/±Infinity as text
  if (t < "c" || t == "number") return t == "bigint" || !isFinite(value) ? "" + value : value;
  if (value == null) return;
  if (Array.isArray(value) && value.length <= 128) {
    const first = typeof value[0];
    // homogeneous string/number/boolean arrays stay arrays (no other typeof name is a substring of this)
    if ("string number boolean".includes(first) && value.every((v) => typeof v == first))
      return value.map((v) => (first == "string" ? toAttributeValue(v, maxLength, cut) : v));
  }
  return toAttributeValue(serialize(value, undefined, true), maxLength, cut);
}

/** Every value of `input` converted; undefined ones left out. */
export function toAttributes(input: Record<string, unknown>, maxLength: number): Attributes {
  const out: Attributes = {};
  for (const k in input) {
    const v = toAttributeValue(input[k], maxLength);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
