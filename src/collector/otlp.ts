// Decodes an OTLP/HTTP JSON ExportTraceServiceRequest (protobuf-JSON mapping, as sent by @fallom/trace and by the
// OpenTelemetry SDKs). A body whose shape is wrong is rejected whole (OtlpShapeError → 400); a well-formed span
// with unusable ids or times is rejected alone and counted in the answer's partialSuccess.

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface DecodedEvent {
  name: string;
  timeNs: string;
  attributes: Attributes;
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNs: string;
  endNs: string;
  statusCode: number;
  statusMessage: string | null;
  attributes: Attributes;
  events: DecodedEvent[];
  links: Array<{ traceId: string; spanId: string; attributes: Attributes }>;
  scope: { name: string | null; version: string | null };
  resource: Attributes;
}

export interface DecodedRequest {
  spans: DecodedSpan[];
  rejected: number;
  /** why the first rejected span was rejected */
  rejectReason?: string;
}

export class OtlpShapeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "OtlpShapeError";
  }
}

const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const ZERO = /^0+$/;
const UINT = /^\d+$/;
const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function expectObject(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) throw new OtlpShapeError(path, `expected an object, got ${typeOf(v)}`);
  return v;
}

/** A repeated field: absent means empty. */
function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(path, `expected an array, got ${typeOf(v)}`);
  return v;
}

function optionalString(v: unknown, path: string): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string") throw new OtlpShapeError(path, `expected a string, got ${typeOf(v)}`);
  return v;
}

/** An int64 in the JSON mapping: a decimal string or a number. Returns its decimal string, or null when absent. */
function uint64(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v).toString();
  if (typeof v === "string" && UINT.test(v)) return BigInt(v).toString();
  throw new OtlpShapeError(path, `expected a non-negative integer (a decimal string in OTLP JSON), got ${JSON.stringify(v)}`);
}

function enumValue(v: unknown, names: Record<string, number>, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && v in names) return names[v]!;
  throw new OtlpShapeError(path, `expected one of ${Object.keys(names).join(", ")} or its number, got ${JSON.stringify(v)}`);
}

function anyValue(v: unknown, path: string): AttributeValue {
  if (v === undefined || v === null) return null;
  const o = expectObject(v, path);
  if ("stringValue" in o) {
    if (typeof o.stringValue !== "string") throw new OtlpShapeError(`${path}.stringValue`, `expected a string, got ${typeOf(o.stringValue)}`);
    return o.stringValue;
  }
  if ("boolValue" in o) {
    if (typeof o.boolValue !== "boolean") throw new OtlpShapeError(`${path}.boolValue`, `expected a boolean, got ${typeOf(o.boolValue)}`);
    return o.boolValue;
  }
  if ("intValue" in o) {
    const i = o.intValue;
    if (typeof i === "number" && Number.isInteger(i)) return i;
    if (typeof i === "string" && /^-?\d+$/.test(i)) {
      const n = Number(i);
      return Number.isSafeInteger(n) ? n : i;
    }
    throw new OtlpShapeError(`${path}.intValue`, `expected an integer, got ${JSON.stringify(i)}`);
  }
  if ("doubleValue" in o) {
    const d = o.doubleValue;
    if (typeof d === "number") return d;
    if (d === "NaN" || d === "Infinity" || d === "-Infinity") return d;
    throw new OtlpShapeError(`${path}.doubleValue`, `expected a number, got ${JSON.stringify(d)}`);
  }
  if ("arrayValue" in o) {
    const a = expectObject(o.arrayValue ?? {}, `${path}.arrayValue`);
    return list(a.values, `${path}.arrayValue.values`).map((x, i) => anyValue(x, `${path}.arrayValue.values[${i}]`));
  }
  if ("kvlistValue" in o) {
    const kv = expectObject(o.kvlistValue ?? {}, `${path}.kvlistValue`);
    return keyValues(kv.values, `${path}.kvlistValue.values`);
  }
  if ("bytesValue" in o) {
    if (typeof o.bytesValue !== "string") throw new OtlpShapeError(`${path}.bytesValue`, `expected a base64 string, got ${typeOf(o.bytesValue)}`);
    return `base64:${o.bytesValue}`;
  }
  return null; // an empty AnyValue
}

function keyValues(v: unknown, path: string): Attributes {
  const out: Attributes = {};
  list(v, path).forEach((kv, i) => {
    const o = expectObject(kv, `${path}[${i}]`);
    if (typeof o.key !== "string") throw new OtlpShapeError(`${path}[${i}].key`, `expected a string, got ${typeOf(o.key)}`);
    out[o.key] = anyValue(o.value, `${path}[${i}].value`);
  });
  return out;
}

/** OTLP JSON ids are hex; an empty id means "none". */
function hexId(v: unknown, path: string): string | null {
  const s = optionalString(v, path);
  return s === null ? null : s.toLowerCase();
}

type SpanOutcome = { span: DecodedSpan } | { rejected: string };

function decodeSpan(v: unknown, path: string, resource: Attributes, scope: DecodedSpan["scope"]): SpanOutcome {
  const o = expectObject(v, path);
  const traceId = hexId(o.traceId, `${path}.traceId`);
  const spanId = hexId(o.spanId, `${path}.spanId`);
  const parentSpanId = hexId(o.parentSpanId, `${path}.parentSpanId`);
  const name = optionalString(o.name, `${path}.name`) ?? "";
  const kind = enumValue(o.kind, SPAN_KINDS, `${path}.kind`);
  const startNs = uint64(o.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const endNs = uint64(o.endTimeUnixNano, `${path}.endTimeUnixNano`);
  const attributes = keyValues(o.attributes, `${path}.attributes`);
  const status = o.status === undefined || o.status === null ? {} : expectObject(o.status, `${path}.status`);
  const statusCode = enumValue(status.code, STATUS_CODES, `${path}.status.code`);
  const statusMessage = optionalString(status.message, `${path}.status.message`);
  const events = list(o.events, `${path}.events`).map((e, i) => {
    const eo = expectObject(e, `${path}.events[${i}]`);
    return {
      name: optionalString(eo.name, `${path}.events[${i}].name`) ?? "",
      timeNs: uint64(eo.timeUnixNano, `${path}.events[${i}].timeUnixNano`) ?? "0",
      attributes: keyValues(eo.attributes, `${path}.events[${i}].attributes`),
    };
  });
  const links = list(o.links, `${path}.links`).map((l, i) => {
    const lo = expectObject(l, `${path}.links[${i}]`);
    return {
      traceId: hexId(lo.traceId, `${path}.links[${i}].traceId`) ?? "",
      spanId: hexId(lo.spanId, `${path}.links[${i}].spanId`) ?? "",
      attributes: keyValues(lo.attributes, `${path}.links[${i}].attributes`),
    };
  });
  if (!traceId || !TRACE_ID.test(traceId) || ZERO.test(traceId)) return { rejected: `${path}.traceId: expected 32 hex digits, not all zero` };
  if (!spanId || !SPAN_ID.test(spanId) || ZERO.test(spanId)) return { rejected: `${path}.spanId: expected 16 hex digits, not all zero` };
  if (parentSpanId !== null && !SPAN_ID.test(parentSpanId)) return { rejected: `${path}.parentSpanId: expected 16 hex digits` };
  if (startNs === null || endNs === null) return { rejected: `${path}: startTimeUnixNano and endTimeUnixNano are required` };
  if (BigInt(endNs) < BigInt(startNs)) return { rejected: `${path}: endTimeUnixNano is before startTimeUnixNano` };
  const parent = parentSpanId && !ZERO.test(parentSpanId) ? parentSpanId : null;
  return {
    span: { traceId, spanId, parentSpanId: parent, name, kind, startNs, endNs, statusCode, statusMessage, attributes, events, links, scope, resource },
  };
}

/** Decodes a parsed JSON body. Throws OtlpShapeError (nothing may be stored) when the shape is wrong. */
export function decodeTraceRequest(body: unknown): DecodedRequest {
  const root = expectObject(body, "body");
  const spans: DecodedSpan[] = [];
  let rejected = 0;
  let rejectReason: string | undefined;
  list(root.resourceSpans, "resourceSpans").forEach((rs, i) => {
    const rsPath = `resourceSpans[${i}]`;
    const rso = expectObject(rs, rsPath);
    const res = rso.resource === undefined || rso.resource === null ? {} : expectObject(rso.resource, `${rsPath}.resource`);
    const resource = keyValues(res.attributes, `${rsPath}.resource.attributes`);
    list(rso.scopeSpans, `${rsPath}.scopeSpans`).forEach((ss, j) => {
      const ssPath = `${rsPath}.scopeSpans[${j}]`;
      const sso = expectObject(ss, ssPath);
      const so = sso.scope === undefined || sso.scope === null ? {} : expectObject(sso.scope, `${ssPath}.scope`);
      const scope = { name: optionalString(so.name, `${ssPath}.scope.name`), version: optionalString(so.version, `${ssPath}.scope.version`) };
      list(sso.spans, `${ssPath}.spans`).forEach((s, k) => {
        const outcome = decodeSpan(s, `${ssPath}.spans[${k}]`, resource, scope);
        if ("span" in outcome) spans.push(outcome.span);
        else {
          rejected++;
          rejectReason ??= outcome.rejected;
        }
      });
    });
  });
  return { spans, rejected, rejectReason };
}
