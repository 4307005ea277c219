import { serialize } from "./serialize";
import type { AttributeValue } from "./types";

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
  if (t === "string") {
    const s = value as string;
    if (s.length <= maxLength) return s;
    cut?.();
    return s.slice(0, maxLength);
  }
  if (t === "number") return Number.isFinite(value) ? (value as number) : String(value);
  if (t === "boolean") return value as boolean;
  if (value === undefined || value === null) return undefined;
  if (t === "bigint") return String(value);
  if (Array.isArray(value) && value.length <= 128) {
    const first = typeof value[0];
    if ((first === "string" || first === "number" || first === "boolean") && value.every((v) => typeof v === first)) {
      return first === "string"
        ? (value as string[]).map((v) => toAttributeValue(v, maxLength, cut) as string)
        : value.slice();
    }
  }
  return toAttributeValue(serialize(value, undefined, true), maxLength, cut);
}
