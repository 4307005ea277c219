// Independent checks on every OTLP/JSON payload the test suites export (run by the collector on each request):
// 1. protobuf round-trip with protobufjs and the generated OTLP root shipped by @opentelemetry/otlp-transformer
//    (not our decoder): the payload encodes to protobuf bytes, decodes back and nothing is lost or changed;
// 2. every gen_ai.* attribute / event name exists in @opentelemetry/semantic-conventions' incubating exports
//    (a few documented non-semconv keys aside), enum values are known ones;
// 3. every key the SDK owns is in docs/wire-format.md with the documented value type;
// 4. message JSON (gen_ai.*.messages, system_instructions, tool.definitions) has the conventions' structure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as semconv from "@opentelemetry/semantic-conventions/incubating";

const require = createRequire(import.meta.url);
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js");
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

// ---- the wire-format table --------------------------------------------------------------------------------------

export interface WireKey {
  key: string;
  /** string, int, double, boolean, string[], int[], double[], number[], any */
  type: string;
  /** "attribute" | "resource" | "event" | "event attribute" */
  kind: string;
  /** `<key>` suffix: any key with this prefix */
  prefix: boolean;
}

const DOCS = new URL("../../docs/wire-format.md", import.meta.url);

/** Rows of the tables in docs/wire-format.md: `| \`key\` | type | kind | … |` */
export function wireTable(text = readFileSync(DOCS, "utf8")): WireKey[] {
  const rows: WireKey[] = [];
  for (const line of text.split("\n")) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([\w[\]]+)\s*\|\s*([\w ]+?)\s*\|/.exec(line);
    if (!m) continue;
    const prefix = m[1]!.endsWith("<key>");
    rows.push({ key: prefix ? m[1]!.slice(0, -5) : m[1]!, type: m[2]!, kind: m[3]!, prefix });
  }
  return rows;
}

let table: WireKey[] | undefined;
const found = new Map<string, WireKey | undefined>();
const lookup = (key: string, kind: string): WireKey | undefined => {
  const id = kind + "|" + key;
  if (!found.has(id)) found.set(id, (table ??= wireTable()).find((r) => r.kind === kind && (r.prefix ? key.startsWith(r.key) : r.key === key)));
  return found.get(id);
};

// namespaces the SDK owns (user attributes elsewhere are the user's business)
const OWNED = /^(gen_ai\.|fallom\.|langfuse\.|session\.id$|user\.id$|error\.type$|exception\.|telemetry\.|service\.name$|deployment\.)/;

// ---- semantic conventions ---------------------------------------------------------------------------------------

const sc = semconv as unknown as Record<string, unknown>;
const values = (prefix: string) => new Set(Object.keys(sc).filter((k) => k.startsWith(prefix)).map((k) => sc[k] as string));
const GEN_AI_ATTRIBUTES = values("ATTR_GEN_AI_");
const GEN_AI_EVENTS = values("EVENT_GEN_AI_");
const DEPRECATED = new Set(["gen_ai.system", "gen_ai.prompt", "gen_ai.completion", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"]);
/** gen_ai.* keys that are not in semconv 1.45, each sent on purpose (see docs/wire-format.md) */
export const NON_SEMCONV_GEN_AI = new Set(["gen_ai.usage.cost"]);
const ENUMS: Record<string, Set<string>> = {
  "gen_ai.operation.name": values("GEN_AI_OPERATION_NAME_VALUE_"),
  "gen_ai.output.type": values("GEN_AI_OUTPUT_TYPE_VALUE_"),
};
// semconv well-known provider names; an AI SDK provider id that means one of them must use its name
const PROVIDER_ALIASES: Record<string, string> = { google: "gcp.gemini", vertex: "gcp.vertex_ai", "amazon-bedrock": "aws.bedrock", azure: "azure.ai.openai", mistral: "mistral_ai", xai: "x_ai" };

// ---- message structure (semconv gen-ai input/output message JSON schemas) ---------------------------------------

const ROLES = new Set(["system", "user", "assistant", "tool"]);
const MODALITIES = new Set(["image", "video", "audio"]);

function checkPart(p: any, where: string): void {
  if (!p || typeof p !== "object" || typeof p.type !== "string") throw new Error(`${where}: a part needs a string type`);
  const str = (field: string, required = true) => {
    if (p[field] === undefined ? required : typeof p[field] !== "string") throw new Error(`${where}: ${p.type} part needs a string ${field}`);
  };
  switch (p.type) {
    case "text":
    case "reasoning":
      return str("content");
    case "tool_call":
      str("name");
      str("id", false);
      // arguments are JSON (an object), not JSON text inside JSON
      if (typeof p.arguments === "string") throw new Error(`${where}: tool_call arguments must be a JSON value, not a string of JSON`);
      return;
    case "tool_call_response":
      if (!("response" in p)) throw new Error(`${where}: tool_call_response needs a response`);
      return;
    case "blob":
      // semconv requires the base64 content: a blob without it is not a blob
      str("content");
      if (!MODALITIES.has(p.modality)) throw new Error(`${where}: blob modality must be image, video or audio`);
      return;
    case "uri":
      return str("uri");
    case "file":
      return str("file_id");
    default:
      // GenericPart: any other type, any fields
      return;
  }
}

function checkMessages(key: string, json: string): void {
  let v: any;
  try {
    v = JSON.parse(json);
  } catch {
    throw new Error(`${key} is not JSON`);
  }
  if (!Array.isArray(v)) throw new Error(`${key} must be a JSON array`);
  v.forEach((m, i) => {
    const where = `${key}[${i}]`;
    if (key === "gen_ai.system_instructions") return checkPart(m, where);
    if (key === "gen_ai.tool.definitions") {
      if (typeof m?.name !== "string" || typeof m?.type !== "string") throw new Error(`${where}: a tool definition needs name and type`);
      return;
    }
    if (!ROLES.has(m?.role)) throw new Error(`${where}: role ${JSON.stringify(m?.role)} is not system/user/assistant/tool`);
    if (!Array.isArray(m.parts)) throw new Error(`${where}: parts must be an array`);
    m.parts.forEach((p: unknown, j: number) => checkPart(p, `${where}.parts[${j}]`));
    if (key === "gen_ai.output.messages" && typeof m.finish_reason !== "string") throw new Error(`${where}: output messages need a finish_reason`);
  });
}

// ---- the checks -------------------------------------------------------------------------------------------------

const kindOf = (v: any): string => {
  if (v.stringValue !== undefined) return "string";
  if (v.boolValue !== undefined) return "boolean";
  if (v.intValue !== undefined) return "int";
  if (v.doubleValue !== undefined) return "double";
  if (v.arrayValue) {
    const kinds = new Set((v.arrayValue.values ?? []).map(kindOf));
    if (kinds.size > 1) throw new Error(`array mixes ${[...kinds].join(" and ")} values`);
    return (kinds.values().next().value ?? "string") + "[]";
  }
  return "other";
};

const fits = (documented: string, sent: string): boolean =>
  documented === "any" || documented === sent || (documented === "number" && (sent === "int" || sent === "double")) || (documented === "number[]" && (sent === "int[]" || sent === "double[]")) || (documented === "string" && sent === "string");

function checkAttributes(list: any[], kind: string, where: string, truncated: Set<string>): void {
  for (const { key, value } of list ?? []) {
    const at = `${where} ${key}`;
    let sent: string;
    try {
      sent = kindOf(value);
    } catch (e) {
      throw new Error(`${at}: ${(e as Error).message}`);
    }
    if (key.startsWith("gen_ai.")) {
      if (DEPRECATED.has(key)) throw new Error(`${at}: deprecated in semconv 1.45`);
      if (!GEN_AI_ATTRIBUTES.has(key) && !NON_SEMCONV_GEN_AI.has(key)) throw new Error(`${at}: not a semconv 1.45 gen_ai attribute`);
      const allowed = ENUMS[key];
      if (allowed && !allowed.has(value.stringValue)) throw new Error(`${at}: ${JSON.stringify(value.stringValue)} is not a semconv value`);
      if (key === "gen_ai.provider.name" && PROVIDER_ALIASES[value.stringValue]) throw new Error(`${at}: use the semconv name ${PROVIDER_ALIASES[value.stringValue]}`);
      if (/messages$|system_instructions$|tool\.definitions$/.test(key) && value.stringValue !== "[REDACTED]" && !truncated.has(key)) checkMessages(key, value.stringValue);
    }
    if (OWNED.test(key)) {
      const row = lookup(key, kind);
      if (!row) throw new Error(`${at}: ${kind} key not in docs/wire-format.md`);
      // the redact hook may replace any value by the string "[REDACTED]"
      if (!fits(row.type, sent) && value.stringValue !== "[REDACTED]") throw new Error(`${at}: sent as ${sent}, documented as ${row.type}`);
    }
  }
}

const hexToBase64 = (hex: string | undefined) => (hex ? Buffer.from(hex, "hex").toString("base64") : undefined);

/** OTLP/JSON (hex ids) → protobuf JSON mapping (base64 bytes), which protobufjs' fromObject reads */
function toProtoJson(body: any): any {
  return {
    resourceSpans: body.resourceSpans.map((rs: any) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss: any) => ({
        ...ss,
        spans: ss.spans.map((s: any) => ({ ...s, traceId: hexToBase64(s.traceId), spanId: hexToBase64(s.spanId), parentSpanId: hexToBase64(s.parentSpanId) })),
      })),
    })),
  };
}

// one text for equal payloads: keys sorted, empty lists (left out by protobuf) dropped, NaN/±Infinity as proto3 spells them
const normal = (v: any): any => {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(normal);
  if (!v || typeof v !== "object") return v;
  const out: any = {};
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined && !(Array.isArray(v[k]) && !v[k].length)) out[k] = normal(v[k]);
  return out;
};
const canonical = (v: any): string => JSON.stringify(normal(v));

export function roundTrip(body: any): void {
  const proto = toProtoJson(body);
  const message = Request.fromObject(proto);
  const problem = Request.verify(message);
  if (problem) throw new Error(`protobufjs: ${problem}`);
  const bytes = Request.encode(message).finish();
  const back = Request.toObject(Request.decode(bytes), { longs: String, enums: Number, bytes: String, defaults: false });
  // fromObject drops unknown fields silently: a lossless round trip proves every field is a real OTLP field
  const expected = canonical(proto);
  const got = canonical(back);
  if (got !== expected) {
    let i = 0;
    while (got[i] === expected[i]) i++;
    throw new Error(`protobuf round trip changed the payload at …${expected.slice(Math.max(0, i - 80), i + 40)}… (got …${got.slice(Math.max(0, i - 80), i + 40)}…)`);
  }
}

/** Throws with the first problem found in an OTLP/JSON ExportTraceServiceRequest. */
export function checkWire(body: any): void {
  roundTrip(body);
  for (const rs of body.resourceSpans ?? []) {
    checkAttributes(rs.resource?.attributes, "resource", "resource", new Set());
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? []) {
        const where = `span ${JSON.stringify(span.name)}`;
        const truncatedAttr = span.attributes?.find((a: any) => a.key === "fallom.truncated");
        const truncated = new Set<string>((truncatedAttr?.value.arrayValue?.values ?? []).map((v: any) => v.stringValue));
        checkAttributes(span.attributes, "attribute", where, truncated);
        for (const e of span.events ?? []) {
          if (e.name.startsWith("gen_ai.") && !GEN_AI_EVENTS.has(e.name)) throw new Error(`${where}: event ${e.name} is not a semconv 1.45 event`);
          if ((e.name === "exception" || e.name.startsWith("gen_ai.")) && !lookup(e.name, "event")) throw new Error(`${where}: event ${e.name} not in docs/wire-format.md`);
          checkAttributes(e.attributes, "event attribute", `${where} event ${e.name}`, new Set());
        }
      }
  }
}
