// A Mastra observability exporter: a `Mastra` instance sends its own traces (agent runs, model calls, tool calls)
// through this SDK, with Mastra's trace and span ids kept, so they join the rest of the trace and flush() covers them.
import type { Session } from "../../core/session";
import { Span } from "../../core/span";
import type { SpanType } from "../../core/types";
import { flush } from "../../core/sdk";
import { providerName } from "../ai-sdk/middleware";
import { fail, recordResult } from "../common/llm-span";

type MastraSpan = Record<string, any>;

/** The part of Mastra's `ObservabilityExporter` interface this implements (structural: nothing is imported from Mastra) */
export interface FallomMastraExporter {
  name: string;
  exportTracingEvent(event: { type: string; exportedSpan: MastraSpan }): Promise<void>;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

// Mastra span types → ours; model chunks are left out (one span per streamed chunk), steps and generations are structure
const TYPES: Record<string, SpanType> = { agent_run: "agent", model_inference: "llm", tool_call: "tool", mcp_tool_call: "tool" };

const time = (t: unknown): number | undefined => (t instanceof Date ? t.getTime() : typeof t == "number" ? t : undefined);

function exportSpan(m: MastraSpan, session?: Session): void {
  if (m.type == "model_chunk" || !m.traceId || !m.id) return;
  const type = TYPES[m.type] ?? "custom";
  const a = m.attributes ?? {};
  const entity = m.entityName ?? m.entityId;
  const name =
    type == "agent" ? "invoke_agent " + (entity ?? m.name) : type == "llm" ? "chat " + a.model : type == "tool" ? "execute_tool " + (entity ?? m.name) : m.name;
  const attributes: Record<string, unknown> =
    type == "agent"
      ? { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": entity, "fallom.input": m.input, "fallom.output": m.output }
      : type == "llm"
        ? {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": a.model,
            "gen_ai.provider.name": typeof a.provider == "string" ? providerName(a.provider) : undefined,
            "gen_ai.request.stream": a.streaming,
          }
        : type == "tool"
          ? { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": entity ?? m.name, "gen_ai.tool.call.id": a.toolCallId, "gen_ai.tool.call.arguments": m.input, "gen_ai.tool.call.result": m.output }
          : { "fallom.mastra.span_type": m.type };
  const options = {
    type,
    attributes,
    startTime: time(m.startTime),
    parent: m.parentSpanId ? { traceId: m.traceId, spanId: m.parentSpanId } : undefined,
    ids: { traceId: m.traceId, spanId: m.id },
  };
  const span = session ? session.startSpan(name, options) : new Span(name, options);
  if (type == "llm") {
    const u = a.usage ?? {};
    const input = u.inputDetails ?? {};
    recordResult(span, a.model, () => ({
      model: a.responseModel,
      finishReasons: [a.finishReason],
      tokens: { input: u.inputTokens, output: u.outputTokens, cacheRead: input.cacheRead, cacheWrite: input.cacheWrite, reasoning: u.outputDetails?.reasoning },
      output: () => undefined,
    }));
  }
  if (m.errorInfo) fail(span, { name: m.errorInfo.name ?? m.errorInfo.id ?? "Error", message: m.errorInfo.message });
  span.end(time(m.endTime));
}

/**
 * `new Mastra({ observability: new Observability({ configs: { fallom: { serviceName, exporters: [fallomMastraExporter()] } } }) })`:
 * every span Mastra ends becomes one of ours (agent runs, model inferences with usage and cost, tool calls), in
 * `session` when given. `flush()` and `shutdown()` flush this SDK.
 */
export function fallomMastraExporter(options?: { session?: Session }): FallomMastraExporter {
  return {
    name: "fallom",
    async exportTracingEvent(event) {
      try {
        if (event?.type == "span_ended") exportSpan(event.exportedSpan, options?.session);
      } catch {}
    },
    flush: async () => void (await flush()),
    shutdown: async () => void (await flush()),
  };
}
