import { redactUrl } from "./redact";
import { serialize } from "./serialize";
import type { AttributeValue, Attributes } from "./types";

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
export function toAttributeValue(value: unknown, maxLength: number, cut?: () => void): AttributeValue | undefined {
  const t = typeof value;
  if (t == "string") {
    // secret query parameters (…?api_key=…) are redacted in plain strings too, not only inside objects
    if ((value as string).length <= maxLength) return redactUrl(value as string);
    cut?.();
    return redactUrl((value as string).slice(0, maxLength));
  }
  if (t == "number") return isFinite(value as number) ? (value as number) : String(value);
  if (t == "boolean") return value as boolean;
  if (value == null) return;
  if (t == "bigint") return String(value);
  if (Array.isArray(value) && value.length <= 128) {
    const first = typeof value[0];
    // homogeneous string/number/boolean arrays stay arrays (no other typeof name is a substring of this)
    if ("string number boolean".includes(first) && value.every((v) => typeof v == first))
      return first == "string" ? value.map((v) => toAttributeValue(v, maxLength, cut) as string) : value.slice();
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
