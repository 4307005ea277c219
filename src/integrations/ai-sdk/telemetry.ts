import { runInContext } from "../../core/context";
import { track } from "../../core/sdk";
import type { Session } from "../../core/session";
import { parentOf, type Span } from "../../core/span";
import type { ParentOption } from "../../core/types";
import { uploads } from "../common/uploads";
import { callInput, inputContent, outputMessages } from "./content";
import { capturing, cost, providerName, REQUEST } from "./middleware";
import { normalizeFinishReason, normalizeUsage } from "./usage";
import { startSpan } from "./wrap-tools";

type Event = Record<string, any>;
type Run = <T>(o: { callId: string; toolCallId?: string; execute: () => PromiseLike<T> }) => PromiseLike<T>;

/** The part of ai 7's `Telemetry` interface this integration implements (structural: nothing is imported from ai). */
export interface FallomTelemetry {
  onStart(e: Event): void;
  onLanguageModelCallStart(e: Event): void;
  onLanguageModelCallEnd(e: Event): void;
  onObjectStepStart(e: Event): void;
  onObjectStepEnd(e: Event): void;
  onEmbedStart(e: Event): void;
  onEmbedEnd(e: Event): void;
  onStepError(e: Event): void;
  onToolExecutionStart(e: Event): void;
  onToolExecutionEnd(e: Event): void;
  onEnd(e: Event): void;
  onError(e: unknown): void;
  onAbort(e: Event): void;
  executeLanguageModelCall: Run;
  executeTool: Run;
}

interface Call {
  agent: Span;
  /** open model calls: "" for the current step, embedCallId for embeddings */
  llm: Map<string, Span>;
  tools: Map<string, Span>;
  stream: boolean;
  /** the call's tool set (descriptions, types) */
  toolSet?: Record<string, any>;
  release?: () => void;
}


// user-facing usage (ai 7 LanguageModelUsage, embeddings' { tokens }) → token counts
function tokens(u: any) {
  const t = normalizeUsage(u);
  t.input ??= u?.tokens;
  t.cacheRead ??= u?.inputTokenDetails?.cacheReadTokens;
  t.cacheWrite ??= u?.inputTokenDetails?.cacheWriteTokens;
  t.reasoning ??= u?.outputTokenDetails?.reasoningTokens;
  return t;
}

/**
 * An ai 7 telemetry integration: `generateText({ …, telemetry: { integrations: [fallomTelemetry()] } })` or
 * `registerTelemetry(fallomTelemetry())`. Same span tree as wrapAISDK: an `invoke_agent` span per call, an llm
 * span per model call, a tool span per tool execution. Calls are kept apart by ai's callId.
 */
export function fallomTelemetry(options?: { session?: Session; parent?: ParentOption }): FallomTelemetry {
  const session = options?.session;
  const parent = options?.parent;
  const calls = new Map<string, Call>();
  // every handler is guarded: bookkeeping never throws into ai
  const safe =
    (fn: (e: Event, c: Call) => void) =>
    (e: any): void => {
      try {
        const c = calls.get(e?.callId);
        if (c) fn(e, c);
      } catch {}
    };
  const finish = (c: Call, e: Event, error?: unknown, failed?: boolean) => {
    for (const s of [...c.llm.values(), ...c.tools.values()]) s.end();
    const a = c.agent;
    if (failed) a.setError(error);
    else if (e) {
      a.setOutput(e.object ?? e.text);
      const t = tokens(e.totalUsage ?? e.usage);
      a.setAttribute("fallom.total_usage.input_tokens", t.input);
      a.setAttribute("fallom.total_usage.output_tokens", t.output);
    }
    a.end();
    calls.delete(e.callId);
    c.release?.();
  };
  const llmStart = (key: (e: Event) => string) =>
    safe((e, c) => {
      const embed = "embedCallId" in e;
      const span = startSpan(session, (embed ? "embeddings " : "chat ") + e.modelId, { type: "llm", parent: c.agent });
      const a: Record<string, unknown> = {
        "gen_ai.operation.name": embed ? "embeddings" : "chat",
        "gen_ai.provider.name": typeof e.provider == "string" ? providerName(e.provider) : undefined,
        "fallom.provider.raw": e.provider,
        "gen_ai.request.model": e.modelId,
        "gen_ai.request.stream": c.stream,
      };
      for (const k in REQUEST) a[REQUEST[k]!] = e[k];
      span.setAttributes(a);
      const msgs = e.messages ?? e.promptMessages;
      if (capturing() && msgs) {
        const sys = e.instructions;
        const pre = typeof sys === "string" ? [{ role: "system", content: sys }] : sys ? [sys].flat() : [];
        // converted and serialised at export (off the request path); the message list is copied by reference now
        const prompt = [...pre, ...msgs];
        const tools = e.tools;
        span.later(uploads(span, () => inputContent({ prompt, tools })));
      }
      c.llm.set(key(e), span);
    });
  const llmEnd = (key: (e: Event) => string) =>
    safe((e, c) => {
      const span = c.llm.get(key(e));
      if (!span) return;
      c.llm.delete(key(e));
      const reason = normalizeFinishReason(e.finishReason);
      const t = tokens(e.usage);
      const model = e.response?.modelId ?? e.modelId;
      const ttft = e.performance?.timeToFirstOutputMs ?? e.msToFirstChunk;
      span.setAttributes({
        "gen_ai.response.id": e.responseId ?? e.response?.id,
        "gen_ai.response.model": model,
        "gen_ai.response.finish_reasons": reason && [reason],
        "gen_ai.response.time_to_first_chunk": c.stream && ttft >= 0 ? ttft / 1000 : undefined,
        ...cost(t, model),
      });
      span.setTokens(t);
      const content = e.content ?? (e.objectText === undefined ? undefined : [{ type: "text", text: e.objectText }]);
      if (capturing() && content) span.later(() => ({ "gen_ai.output.messages": outputMessages(content, reason) }));
      span.end();
    });
  const step = () => "";
  const embedKey = (e: Event) => e.embedCallId;
  // runs ai's work with our span active, so spans started inside (nested calls, fetch) nest under it
  const within =
    (get: (c: Call, o: any) => Span | undefined): Run =>
    (o) => {
      let span: Span | undefined;
      try {
        const c = calls.get(o.callId);
        span = c && get(c, o);
      } catch {}
      return span ? runInContext(span, o.execute) : o.execute();
    };
  return {
    onStart(e) {
      try {
        if (!e?.callId) return;
        const name = String(e.operationId ?? "ai").replace(/^ai\./, "");
        // semconv: `invoke_agent {agent}`, the agent being the telemetry functionId, else the ai function
        const agentName = e.functionId ?? name;
        const agent = startSpan(session, "invoke_agent " + agentName, {
          type: "agent",
          parent: parentOf(parent),
          attributes: {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": agentName,
            "gen_ai.provider.name": typeof e.provider == "string" ? providerName(e.provider) : undefined,
            "gen_ai.request.model": e.modelId,
          },
        });
        if (capturing()) agent.later(callInput(e));
        if (!agent.isRecording()) return;
        const c: Call = { agent, llm: new Map(), tools: new Map(), stream: /stream/i.test(name), toolSet: e.tools };
        calls.set(e.callId, c);
        // a stream nobody reads never ends: flush ends it at its deadline
        if (c.stream)
          track(new Promise<void>((r) => (c.release = r)), () => {
            agent.setAttribute("fallom.stream.unconsumed", true);
            agent.setStatus("error", "stream not consumed before the flush deadline");
            finish(c, { callId: e.callId });
          });
      } catch {}
    },
    onLanguageModelCallStart: llmStart(step),
    onLanguageModelCallEnd: llmEnd(step),
    onObjectStepStart: llmStart(step),
    onObjectStepEnd: llmEnd(step),
    onEmbedStart: llmStart(embedKey),
    onEmbedEnd: llmEnd(embedKey),
    onStepError: safe((e, c) => {
      const span = c.llm.get("");
      span?.setError(e.error);
      span?.end();
      c.llm.delete("");
    }),
    onToolExecutionStart: safe((e, c) => {
      const call = e.toolCall ?? {};
      const tool = c.toolSet?.[call.toolName];
      c.tools.set(
        call.toolCallId,
        startSpan(session, "execute_tool " + call.toolName, {
          type: "tool",
          parent: c.agent,
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": call.toolName,
            "gen_ai.tool.type": /^provider/.test(tool?.type) ? "extension" : "function",
            "gen_ai.tool.description": tool?.description,
            "gen_ai.tool.call.id": call.toolCallId,
            "gen_ai.tool.call.arguments": call.input,
          },
        }),
      );
    }),
    onToolExecutionEnd: safe((e, c) => {
      const id = e.toolCall?.toolCallId;
      const span = c.tools.get(id);
      if (!span) return;
      c.tools.delete(id);
      const out = e.toolOutput ?? {};
      if (out.type === "tool-error") span.setError(out.error);
      else span.setAttribute("gen_ai.tool.call.result", out.output);
      span.end();
    }),
    onEnd: safe((e, c) => finish(c, e)),
    onError: safe((e, c) => finish(c, e, e.error, true)),
    onAbort: safe((e, c) => {
      c.agent.setAttribute("fallom.stream.cancelled", true);
      c.agent.setStatus("error", "aborted");
      finish(c, e);
    }),
    executeLanguageModelCall: within((c) => c.llm.get("")),
    executeTool: within((c, o) => c.tools.get(o.toolCallId)),
  };
}
