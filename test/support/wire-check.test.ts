// The independent payload checks catch what they must (self-check), and SDK payloads pass them.
import { describe, expect, it } from "vitest";
import fallom from "../../src/index";
import { checkWire, wireTable } from "./wire-check";
import { setupSdk } from "./sdk";

const T0 = "1763845200000000000";
const body = (attributes: object[], events: object[] = [], extra: object = {}) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "x" } }] },
      scopeSpans: [
        {
          scope: { name: "@fallom/trace", version: "0.0.0" },
          spans: [
            { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", name: "s", kind: 1, startTimeUnixNano: T0, endTimeUnixNano: T0, attributes, events, ...extra },
          ],
        },
      ],
    },
  ],
});
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const msgs = (parts: object[]) => str("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts, finish_reason: "stop" }]));

describe("checkWire", () => {
  it("passes a well-formed payload", () => {
    expect(() => checkWire(body([str("gen_ai.operation.name", "chat"), { key: "gen_ai.request.temperature", value: { doubleValue: 1 } }, msgs([{ type: "text", content: "hi" }])]))).not.toThrow();
  });

  it.each([
    ["an undocumented fallom key", [str("fallom.made_up", "x")], /not in docs\/wire-format.md/],
    ["a double sent as int", [{ key: "gen_ai.request.temperature", value: { intValue: "1" } }], /sent as int, documented as double/],
    ["a gen_ai key outside semconv", [str("gen_ai.made_up", "x")], /not a semconv 1.45 gen_ai attribute/],
    ["a deprecated gen_ai key", [str("gen_ai.system", "openai")], /deprecated/],
    ["an unknown operation", [str("gen_ai.operation.name", "think")], /not a semconv value/],
    ["a provider alias", [str("gen_ai.provider.name", "google")], /gcp.gemini/],
    ["a mixed number array", [{ key: "fallom.truncated", value: { arrayValue: { values: [{ intValue: "1" }, { doubleValue: 1.5 }] } } }], /mixes/],
    ["tool_call arguments as JSON text", [msgs([{ type: "tool_call", name: "f", arguments: "{}" }])], /not a string of JSON/],
    ["a blob without content", [msgs([{ type: "blob", modality: "image", mime_type: "image/png" }])], /blob part needs a string content/],
    ["an output message without finish_reason", [str("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [] }]))], /finish_reason/],
  ])("rejects %s", (_, attributes, error) => {
    expect(() => checkWire(body(attributes))).toThrow(error);
  });

  it("rejects an undocumented gen_ai event and a field protobuf does not know (lost in the round trip)", () => {
    expect(() => checkWire(body([], [{ name: "gen_ai.made_up", timeUnixNano: T0 }]))).toThrow(/not a semconv 1.45 event/);
    expect(() => checkWire(body([], [], { droppedAttributeCount: 3 }))).toThrow(/round trip/);
  });

  it("the docs table parses: every row has a known type and kind", () => {
    const rows = wireTable();
    expect(rows.length).toBeGreaterThan(80);
    for (const r of rows) {
      expect(["string", "int", "double", "boolean", "string[]", "any"], r.key).toContain(r.type);
      expect(["attribute", "resource", "event", "event attribute"], r.key).toContain(r.kind);
    }
  });

  it("the collector runs it on what the SDK sends: an undocumented key fails the test at close(), with the reason", async () => {
    const sdk = await setupSdk();
    fallom.session().startSpan("bad").setAttribute("fallom.not_documented", 1).end();
    await fallom.flush();
    const closed = sdk.close();
    await expect(closed).rejects.toThrow(/fallom.not_documented: attribute key not in docs\/wire-format.md/);
    expect(sdk.collector.wireErrors).toHaveLength(1);
  });
});
