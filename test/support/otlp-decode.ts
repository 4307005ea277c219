// Strict decoder for OTLP/HTTP JSON ExportTraceServiceRequest bodies (protobuf-JSON mapping).
// Test-only: it is deliberately stricter than a lenient collector so encoder bugs fail loudly.

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  /** OTLP droppedAttributesCount (uint32), when sent */
  droppedAttributesCount?: number;
  status?: { code?: number; message?: string };
  events: Array<{ name: string; timeUnixNano: string; attributes: Record<string, unknown> }>;
  resource: Record<string, unknown>;
  scope?: { name?: string; version?: string };
}

export interface DecodeOptions {
  /**
   * Timestamps below this (in ns) are rejected. Default: 2000-01-01T00:00:00Z, which catches
   * ms-vs-ns and seconds-vs-ns encoder bugs. Pass 0n to accept any non-negative time.
   */
  minTimeUnixNano?: bigint;
}

/** 2000-01-01T00:00:00Z in nanoseconds. */
export const MIN_PLAUSIBLE_TIME_UNIX_NANO = 946_684_800_000_000_000n;

export class OtlpDecodeError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`Malformed OTLP at ${path}: ${message}`);
    this.name = "OtlpDecodeError";
    this.path = path;
  }
}

const TRACE_ID_RE = /^[0-9a-f]{32}$/;
const SPAN_ID_RE = /^[0-9a-f]{16}$/;
const DECIMAL_RE = /^(0|[1-9][0-9]*)$/;
const INT_RE = /^-?(0|[1-9][0-9]*)$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;
const ANY_VALUE_KEYS = [
  "stringValue",
  "boolValue",
  "intValue",
  "doubleValue",
  "arrayValue",
  "kvlistValue",
  "bytesValue",
] as const;

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (typeof v === "bigint") return `${v}n`;
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(path: string, message: string): never {
  throw new OtlpDecodeError(path, message);
}

function expectObject(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) fail(path, `expected an object, got ${typeName(v)} ${show(v)}`);
  return v;
}

/** Repeated fields may be omitted in protobuf JSON; when present they must be arrays. */
function optionalArray(v: unknown, path: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, `expected an array, got ${typeName(v)} ${show(v)}`);
  return v;
}

/** Strings must be valid UTF-16 (no lone surrogates), because a protobuf decoder rejects them. */
function expectString(v: unknown, path: string): string {
  if (typeof v !== "string") fail(path, `expected a string, got ${typeName(v)} ${show(v)}`);
  if (!isWellFormed(v)) fail(path, `string contains a lone surrogate: ${show(v)}`);
  return v;
}

function optionalString(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : expectString(v, path);
}

function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === "function") return native.call(s);
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

function expectHexId(v: unknown, path: string, re: RegExp, len: number): string {
  if (typeof v !== "string") fail(path, `expected a ${len}-char lowercase hex string, got ${typeName(v)} ${show(v)}`);
  if (!re.test(v)) fail(path, `expected ${len} lowercase hex chars, got ${show(v)} (length ${v.length})`);
  if (/^0+$/.test(v)) fail(path, `id must not be all zeros`);
  return v;
}

function expectNanos(v: unknown, path: string, min: bigint): string {
  if (typeof v !== "string") {
    fail(path, `expected nanoseconds as a decimal string, got ${typeName(v)} ${show(v)}`);
  }
  if (!DECIMAL_RE.test(v)) fail(path, `expected a decimal string of nanoseconds, got ${show(v)}`);
  const n = BigInt(v);
  if (n < min) {
    fail(path, `timestamp ${v} is before ${min} ns (likely ms or s instead of ns)`);
  }
  if (n > 18_446_744_073_709_551_615n) fail(path, `timestamp ${v} overflows fixed64`);
  return v;
}

function expectUint(v: unknown, path: string, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
    fail(path, `expected an integer in [0, ${max}], got ${typeName(v)} ${show(v)}`);
  }
  return v;
}

/** Decodes an OTLP AnyValue into a plain JS value. */
export function decodeAnyValue(v: unknown, path = "value"): unknown {
  const obj = expectObject(v, path);
  const present = ANY_VALUE_KEYS.filter((k) => obj[k] !== undefined);
  const unknownKeys = Object.keys(obj).filter((k) => !(ANY_VALUE_KEYS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) fail(path, `unknown AnyValue field(s) ${show(unknownKeys)}`);
  if (present.length === 0) fail(path, `empty AnyValue (no value field set)`);
  if (present.length > 1) fail(path, `AnyValue has more than one value field: ${show(present)}`);
  const key = present[0]!;
  const raw = obj[key];
  const p = `${path}.${key}`;
  switch (key) {
    case "stringValue":
      return expectString(raw, p);
    case "boolValue":
      if (typeof raw !== "boolean") fail(p, `expected a boolean, got ${typeName(raw)} ${show(raw)}`);
      return raw;
    case "intValue": {
      // protobuf JSON writes int64 as a string, but accepts numbers on input.
      if (typeof raw === "number") {
        if (!Number.isSafeInteger(raw)) fail(p, `expected an integer, got ${show(raw)}`);
        return raw;
      }
      if (typeof raw !== "string" || !INT_RE.test(raw)) {
        fail(p, `expected an int64 as a decimal string or integer, got ${typeName(raw)} ${show(raw)}`);
      }
      const big = BigInt(raw);
      if (big > 9_223_372_036_854_775_807n || big < -9_223_372_036_854_775_808n) fail(p, `overflows int64: ${raw}`);
      return Number(raw);
    }
    case "doubleValue":
      if (typeof raw === "number") return raw;
      if (raw === "NaN") return Number.NaN;
      if (raw === "Infinity") return Number.POSITIVE_INFINITY;
      if (raw === "-Infinity") return Number.NEGATIVE_INFINITY;
      return fail(p, `expected a number, got ${typeName(raw)} ${show(raw)}`);
    case "arrayValue": {
      const arr = expectObject(raw, p);
      return optionalArray(arr.values, `${p}.values`).map((item, i) => decodeAnyValue(item, `${p}.values[${i}]`));
    }
    case "kvlistValue": {
      const kv = expectObject(raw, p);
      return decodeKeyValues(kv.values, `${p}.values`);
    }
    case "bytesValue":
      if (typeof raw !== "string" || !(BASE64_RE.test(raw) || BASE64URL_RE.test(raw))) {
        fail(p, `expected base64 bytes, got ${typeName(raw)} ${show(raw)}`);
      }
      return raw;
  }
}

/** Decodes a repeated KeyValue list into an object; duplicate keys are an error (OTel spec). */
export function decodeKeyValues(list: unknown, path = "attributes"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  optionalArray(list, path).forEach((item, i) => {
    const p = `${path}[${i}]`;
    const kv = expectObject(item, p);
    const key = expectString(kv.key, `${p}.key`);
    if (key === "") fail(`${p}.key`, `attribute key must not be empty`);
    if (Object.prototype.hasOwnProperty.call(out, key)) fail(`${p}.key`, `duplicate attribute key ${show(key)}`);
    if (kv.value === undefined) fail(`${p}.value`, `missing value for key ${show(key)}`);
    out[key] = decodeAnyValue(kv.value, `${p}.value`);
  });
  return out;
}

function decodeSpan(
  s: Record<string, unknown>,
  p: string,
  resource: Record<string, unknown>,
  scope: { name?: string; version?: string } | undefined,
  min: bigint,
): DecodedSpan {
  const traceId = expectHexId(s.traceId, `${p}.traceId`, TRACE_ID_RE, 32);
  const spanId = expectHexId(s.spanId, `${p}.spanId`, SPAN_ID_RE, 16);
  // An empty string is the protobuf-JSON spelling of "no parent".
  const parentSpanId =
    s.parentSpanId === undefined || s.parentSpanId === ""
      ? undefined
      : expectHexId(s.parentSpanId, `${p}.parentSpanId`, SPAN_ID_RE, 16);
  if (parentSpanId !== undefined && parentSpanId === spanId) fail(`${p}.parentSpanId`, `span is its own parent`);
  const name = expectString(s.name, `${p}.name`);
  const kind = s.kind === undefined ? 0 : expectUint(s.kind, `${p}.kind`, 5);
  const startTimeUnixNano = expectNanos(s.startTimeUnixNano, `${p}.startTimeUnixNano`, min);
  const endTimeUnixNano = expectNanos(s.endTimeUnixNano, `${p}.endTimeUnixNano`, min);
  if (BigInt(endTimeUnixNano) < BigInt(startTimeUnixNano)) {
    fail(`${p}.endTimeUnixNano`, `end ${endTimeUnixNano} is before start ${startTimeUnixNano}`);
  }
  const attributes = decodeKeyValues(s.attributes, `${p}.attributes`);

  let status: DecodedSpan["status"];
  if (s.status !== undefined) {
    const st = expectObject(s.status, `${p}.status`);
    status = {};
    if (st.code !== undefined) status.code = expectUint(st.code, `${p}.status.code`, 2);
    const message = optionalString(st.message, `${p}.status.message`);
    if (message !== undefined) status.message = message;
  }

  const events = optionalArray(s.events, `${p}.events`).map((e, i) => {
    const ep = `${p}.events[${i}]`;
    const ev = expectObject(e, ep);
    return {
      name: expectString(ev.name, `${ep}.name`),
      timeUnixNano: expectNanos(ev.timeUnixNano, `${ep}.timeUnixNano`, min),
      attributes: decodeKeyValues(ev.attributes, `${ep}.attributes`),
    };
  });

  optionalArray(s.links, `${p}.links`).forEach((l, i) => {
    const lp = `${p}.links[${i}]`;
    const link = expectObject(l, lp);
    expectHexId(link.traceId, `${lp}.traceId`, TRACE_ID_RE, 32);
    expectHexId(link.spanId, `${lp}.spanId`, SPAN_ID_RE, 16);
    decodeKeyValues(link.attributes, `${lp}.attributes`);
  });

  const span: DecodedSpan = {
    traceId,
    spanId,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    resource: { ...resource },
  };
  if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
  if (s.droppedAttributesCount !== undefined) span.droppedAttributesCount = expectUint(s.droppedAttributesCount, `${p}.droppedAttributesCount`, 2 ** 32 - 1);
  if (status !== undefined) span.status = status;
  if (scope !== undefined) span.scope = { ...scope };
  return span;
}

/**
 * Decodes an OTLP ExportTraceServiceRequest (already JSON-parsed) into flat spans.
 * Throws OtlpDecodeError (with a JSON-ish path) on anything a strict OTLP/JSON receiver would reject
 * or that is almost certainly an encoder bug.
 */
export function decodeOtlp(body: unknown, options: DecodeOptions = {}): DecodedSpan[] {
  const min = options.minTimeUnixNano ?? MIN_PLAUSIBLE_TIME_UNIX_NANO;
  const root = expectObject(body, "$");
  if (root.resourceSpans === undefined) fail("$.resourceSpans", "missing (not an ExportTraceServiceRequest?)");
  if (!Array.isArray(root.resourceSpans)) {
    fail("$.resourceSpans", `expected an array, got ${typeName(root.resourceSpans)}`);
  }
  const out: DecodedSpan[] = [];
  root.resourceSpans.forEach((rsRaw, i) => {
    const rp = `$.resourceSpans[${i}]`;
    const rs = expectObject(rsRaw, rp);
    const resource =
      rs.resource === undefined
        ? {}
        : decodeKeyValues(expectObject(rs.resource, `${rp}.resource`).attributes, `${rp}.resource.attributes`);
    optionalArray(rs.scopeSpans, `${rp}.scopeSpans`).forEach((ssRaw, j) => {
      const sp = `${rp}.scopeSpans[${j}]`;
      const ss = expectObject(ssRaw, sp);
      let scope: { name?: string; version?: string } | undefined;
      if (ss.scope !== undefined) {
        const sc = expectObject(ss.scope, `${sp}.scope`);
        scope = {};
        const name = optionalString(sc.name, `${sp}.scope.name`);
        const version = optionalString(sc.version, `${sp}.scope.version`);
        if (name !== undefined) scope.name = name;
        if (version !== undefined) scope.version = version;
        decodeKeyValues(sc.attributes, `${sp}.scope.attributes`);
      }
      optionalArray(ss.spans, `${sp}.spans`).forEach((sRaw, k) => {
        const p = `${sp}.spans[${k}]`;
        out.push(decodeSpan(expectObject(sRaw, p), p, resource, scope, min));
      });
    });
  });
  return out;
}
