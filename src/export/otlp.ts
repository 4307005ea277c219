import { toAttributeValue } from "../core/attributes";
import { toNanos } from "../core/clock";
import { REDACTED } from "../core/redact";
import { wellFormed } from "../core/serialize";
import type { Span } from "../core/span";
import type { AttributeValue, Attributes } from "../core/types";

export type RedactHook = (key: string, value: AttributeValue) => AttributeValue | undefined;

// OTLP AnyValue; JSON.stringify then writes it (lone surrogates made well-formed first)
const anyValue = (v: AttributeValue): object =>
  typeof v == "string"
    ? { stringValue: wellFormed(v) }
    : typeof v == "boolean"
      ? { boolValue: v }
      : typeof v == "number"
        ? Number.isSafeInteger(v)
          ? { intValue: "" + v }
          : { doubleValue: v }
        : { arrayValue: { values: v.map(anyValue) } };

/** OTLP KeyValue list; the redact hook runs last and fails closed. `onRedactError` counts its failures. */
export function encodeAttributes(attrs: Attributes | undefined, redact?: RedactHook, onRedactError?: () => void): object[] {
  const out = [];
  for (const key in attrs) {
    let v: AttributeValue | undefined = attrs[key]!;
    if (redact) {
      try {
        v = redact(key, v);
      } catch {
        v = REDACTED;
        onRedactError?.();
      }
      if (v == null) continue;
      // whatever the hook returns becomes a valid attribute (objects fail closed)
      v = typeof v == "object" && !Array.isArray(v) ? REDACTED : (toAttributeValue(v, Infinity) ?? REDACTED);
    }
    out.push({ key: wellFormed(key), value: anyValue(v) });
  }
  return out;
}

/** One span as an OTLP/JSON object (protobuf-JSON mapping: hex ids, nanosecond strings). */
export function encodeSpan(span: Span, redact?: RedactHook, onRedactError?: () => void): string {
  const t = span.truncated;
  // undefined fields are left out by JSON.stringify
  return JSON.stringify({
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || undefined,
    name: wellFormed(span.name),
    kind: span.kind,
    startTimeUnixNano: toNanos(span.startTime),
    endTimeUnixNano: toNanos(span.endTime),
    // own attributes win over the session's shared ones
    attributes: encodeAttributes(
      { ...span.shared, ...span.attributes, ...(t && { "fallom.truncated": [...new Set(t)] }) },
      redact,
      onRedactError,
    ),
    droppedAttributesCount: span.droppedAttributes || undefined,
    events: span.events?.map((e) => ({
      timeUnixNano: toNanos(e.time),
      name: wellFormed(e.name),
      attributes: encodeAttributes(e.attributes, redact, onRedactError),
    })),
    status: span.status ? { code: span.status, message: span.statusMessage || undefined } : undefined,
  });
}

/** Envelope around encoded spans: `[prefix, suffix]` of an ExportTraceServiceRequest. */
export function envelope(resource: Attributes, version: string): [string, string] {
  const json = JSON.stringify({
    resourceSpans: [{ resource: { attributes: encodeAttributes(resource) }, scopeSpans: [{ scope: { name: "@fallom/trace", version }, spans: [] }] }],
  });
  // the spans array is the last one in the document
  const at = json.lastIndexOf("[]") + 1;
  return [json.slice(0, at), json.slice(at)];
}
