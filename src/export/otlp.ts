import { CONTENT_KEYS, toAttributeValue } from "../core/attributes";
import { toNanos } from "../core/clock";
import { REDACTED } from "../core/redact";
import { wellFormed } from "../core/serialize";
import type { ResolvedOptions } from "../core/options";
import type { Later, Span } from "../core/span";
import type { AttributeValue, Attributes } from "../core/types";

export type RedactHook = (key: string, value: AttributeValue) => AttributeValue | undefined;

// keys whose semantic type is double (semconv, costs, user metrics): a whole number is still sent as doubleValue
const DOUBLE = /^(gen_ai\.(request\.(temperature|top_[pk]|\w+_penalty)|evaluation\.score\.value|response\.time_to_first_chunk)|fallom\.(cost|metric)\.)/;

// OTLP AnyValue; JSON.stringify then writes it (lone surrogates made well-formed first). Numbers of one array share
// one type; NaN/±Infinity are the proto3 JSON strings "NaN"/"Infinity"/"-Infinity", never null.
const anyValue = (v: AttributeValue, double: boolean): object =>
  Array.isArray(v)
    ? { arrayValue: { values: v.map((x) => anyValue(x, double || !(v as unknown[]).every(Number.isSafeInteger))) } }
    : typeof v == "string"
      ? { stringValue: wellFormed(v) }
      : typeof v == "boolean"
        ? { boolValue: v }
        : !double && Number.isSafeInteger(v)
          ? { intValue: "" + v }
          : { doubleValue: isFinite(v) ? v : String(v) };

/** OTLP KeyValue list of `[key, value]` entries; the redact hook runs last and fails closed. `onRedactError` counts its failures. */
export function encodeAttributes(attrs: Iterable<[string, AttributeValue]>, redact?: RedactHook, onRedactError?: () => void): object[] {
  let out: { key: string; value: object }[] = [];
  let repaired = false;
  for (let [key, v] of attrs as Iterable<[string, AttributeValue | undefined]>) {
    // an empty key is invalid in OTLP
    if (!key) continue;
    if (redact) {
      try {
        v = redact(key, v!);
      } catch {
        v = REDACTED;
        onRedactError?.();
      }
      if (v == null) continue;
      // whatever the hook returns becomes a valid attribute (objects fail closed)
      v = typeof v == "object" && !Array.isArray(v) ? REDACTED : (toAttributeValue(v, Infinity) ?? REDACTED);
    }
    const k = wellFormed(key);
    repaired ||= k != key;
    out.push({ key: k, value: anyValue(v!, DOUBLE.test(k)) });
  }
  // two keys that differ only by lone surrogates are one key once repaired: the last value wins
  if (repaired) out = [...new Map(out.map((a) => [a.key, a])).values()];
  return out;
}

/**
 * The attributes of a span as exported: the session's, then its own in call order (the last value wins, `later`
 * functions run now), each converted and cut to maxAttributeLength (listed in `fallom.truncated`), the first
 * maxAttributes own keys kept and the rest counted.
 */
export function spanAttributes(span: Span, o: ResolvedOptions): [Map<string, AttributeValue>, number] {
  const own = new Map<string, AttributeValue>();
  const cut = new Set<string>();
  let dropped = span.dropped ?? 0;
  const put = (key: string, value: unknown): void => {
    const v = toAttributeValue(value, o.maxAttributeLength, () => cut.add(key));
    if (v === undefined) return;
    if (own.has(key) || own.size < o.maxAttributes) own.set(key, v);
    else dropped++;
  };
  const a = span.attrs;
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i];
    if (typeof k == "string") put(k, a[i + 1]);
    else {
      let extra: Record<string, unknown> | undefined;
      try {
        extra = (k as Later)();
      } catch {}
      for (const key in extra) if (o.captureContent || !CONTENT_KEYS.has(key)) put(key, extra[key]);
    }
  }
  if (cut.size) own.set("fallom.truncated", [...cut]);
  // own values replace the session's in place; a Map (unlike an object with dotted keys) is cheap and keeps call order
  return [new Map([...Object.entries(span.shared || {}), ...own]), dropped];
}

/** One span as an OTLP/JSON object (protobuf-JSON mapping: hex ids, nanosecond strings). */
export function encodeSpan(span: Span, o: ResolvedOptions, onRedactError?: () => void): string {
  const [attributes, dropped] = spanAttributes(span, o);
  // a backend profile (off by default) adds or renames keys; if it throws, the span is still exported
  try {
    o.profile?.(attributes, span);
  } catch {}
  // undefined fields are left out by JSON.stringify
  return JSON.stringify({
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || undefined,
    name: wellFormed(span.name),
    kind: span.kind,
    startTimeUnixNano: toNanos(span.startTime),
    endTimeUnixNano: toNanos(span.endTime),
    attributes: encodeAttributes(attributes, o.redact, onRedactError),
    droppedAttributesCount: dropped || undefined,
    events: span.events?.map((e) => ({
      timeUnixNano: toNanos(e.time),
      name: wellFormed(e.name),
      attributes: encodeAttributes(Object.entries(e.attributes || {}), o.redact, onRedactError),
    })),
    status: span.status ? { code: span.status, message: span.statusMessage || undefined } : undefined,
  });
}

/** Start of an ExportTraceServiceRequest up to its spans array; `]}]}]}` closes it. */
export const envelope = (resource: Attributes, version: string): string =>
  `{"resourceSpans":[{"resource":{"attributes":${JSON.stringify(encodeAttributes(Object.entries(resource)))}},"scopeSpans":[{"scope":{"name":"@fallom/trace","version":${JSON.stringify(version)}},"spans":[`;
