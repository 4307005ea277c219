import { toNanos } from "../core/clock";
import { REDACTED } from "../core/redact";
import { wellFormed } from "../core/serialize";
import type { Span } from "../core/span";
import type { AttributeValue, Attributes } from "../core/types";

export type RedactHook = (key: string, value: AttributeValue) => AttributeValue | undefined;

const str = (s: string): string => JSON.stringify(wellFormed(s));

function anyValue(v: AttributeValue): string {
  switch (typeof v) {
    case "string":
      return `{"stringValue":${str(v)}}`;
    case "boolean":
      return `{"boolValue":${v}}`;
    case "number":
      return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? `{"intValue":"${v}"}` : `{"doubleValue":${v}}`;
  }
  return `{"arrayValue":{"values":[${(v as unknown[]).map((x) => anyValue(x as AttributeValue)).join(",")}]}}`;
}

/** OTLP KeyValue list; the redact hook runs last and fails closed. `onRedactError` counts its failures. */
export function encodeAttributes(
  parts: Array<Attributes | undefined>,
  redact?: RedactHook,
  onRedactError?: () => void,
): string {
  const seen: Record<string, 1> = {};
  let out = "";
  // later parts win: walk them in reverse and skip keys already written
  for (let i = parts.length - 1; i >= 0; i--) {
    const attrs = parts[i];
    for (const key in attrs) {
      if (seen[key]) continue;
      seen[key] = 1;
      let v: AttributeValue | undefined = attrs[key];
      if (redact) {
        try {
          v = redact(key, v!);
        } catch {
          v = REDACTED;
          onRedactError?.();
        }
        if (v === undefined || v === null) continue;
        if (typeof v === "object" && !Array.isArray(v)) v = REDACTED;
      }
      out += `${out ? "," : ""}{"key":${str(key)},"value":${anyValue(v!)}}`;
    }
  }
  return out;
}

/** One span as an OTLP/JSON object (protobuf-JSON mapping: hex ids, nanosecond strings). */
export function encodeSpan(span: Span, redact?: RedactHook, onRedactError?: () => void): string {
  const own = span.truncated ? { ...span.attributes, "fallom.truncated": [...new Set(span.truncated)] } : span.attributes;
  let out =
    `{"traceId":"${span.traceId}","spanId":"${span.spanId}"` +
    (span.parentSpanId ? `,"parentSpanId":"${span.parentSpanId}"` : "") +
    `,"name":${str(span.name)},"kind":${span.kind},"startTimeUnixNano":"${toNanos(span.startTime)}","endTimeUnixNano":"${toNanos(span.endTime)}"` +
    `,"attributes":[${encodeAttributes([span.shared, own], redact, onRedactError)}]`;
  if (span.droppedAttributes) out += `,"droppedAttributesCount":${span.droppedAttributes}`;
  if (span.events) {
    out += `,"events":[${span.events
      .map(
        (e) =>
          `{"timeUnixNano":"${toNanos(e.time)}","name":${str(e.name)},"attributes":[${encodeAttributes([e.attributes], redact, onRedactError)}]}`,
      )
      .join(",")}]`;
  }
  if (span.status) {
    out += `,"status":{"code":${span.status}${span.statusMessage ? `,"message":${str(span.statusMessage)}` : ""}}`;
  }
  return out + "}";
}

/** Envelope around encoded spans: `[prefix, suffix]` of an ExportTraceServiceRequest. */
export function envelope(resource: Attributes, version: string): [string, string] {
  return [
    `{"resourceSpans":[{"resource":{"attributes":[${encodeAttributes([resource])}]},"scopeSpans":[{"scope":{"name":"@fallom/trace","version":${str(version)}},"spans":[`,
    "]}]}]}",
  ];
}
