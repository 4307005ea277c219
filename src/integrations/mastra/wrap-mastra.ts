// session.wrapMastraAgent(agent): each generate() / stream() is an `invoke_agent {name}` span with a child llm span
// per model step (from `onStepFinish`) and a child tool span per tool call (from the `tool-call` / `tool-result`
// chunks of `onChunk`); the caller's own callbacks still run. The agent is not modified.
import { nowMs } from "../../core/clock";
import type { Span } from "../../core/span";
import { providerName } from "../ai-sdk/middleware";
import { normalizeUsage } from "../ai-sdk/usage";
import { fail, recordResult, startSpan, type WrapOptions } from "../common/llm-span";
import { streamSpan } from "../common/stream-span";
import { wrapClient, type Traced } from "../common/wrap-client";

/** Chains our handler before the caller's callback (theirs gets every call and its result is kept; ours never throws) */
const chain =
  (ours: (c: any) => void, theirs?: (...a: any[]) => unknown) =>
  (...a: any[]) => {
    try {
      ours(a[0]);
    } catch {}
    return theirs?.(...a);
  };

const run =
  (stream: boolean): Traced<WrapOptions> =>
  (o, agent, fn, self, args) => {
    const name = agent.name ?? agent.id;
    const model = agent.model;
    const modelId = typeof model == "string" ? model : model?.modelId;
    const span = startSpan(
      o,
      "invoke_agent " + name,
      { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": name, "gen_ai.request.model": modelId, "gen_ai.request.stream": stream },
      "agent",
    );
    if (!span.isRecording()) return fn.apply(self, args);
    span.setInput(args[0]);
    const provider = typeof model?.provider == "string" ? providerName(model.provider) : undefined;
    const child = { session: o.session, parent: span };
    const tools = new Map<string, Span>();
    // the current model step: when it started, its first content chunk, its first tool call (the model's part ends there)
    let stepStart = span.startTime;
    let firstAt: number | undefined;
    let callAt: number | undefined;
    // ended once: by the result (generate), onFinish / onError / onAbort (stream), or the flush deadline
    let final: any;
    const s = streamSpan(span, () => {
      const u = normalizeUsage(final?.totalUsage ?? final?.usage);
      // totals only under fallom.*: gen_ai.usage.* on the agent would double count its llm children
      span.setOutput(final?.text).setAttributes({ "fallom.total_usage.input_tokens": u.input, "fallom.total_usage.output_tokens": u.output });
    });
    const end = (r?: any, error?: unknown): void => {
      for (const t of tools.values()) t.end();
      final = r;
      s.end(error === undefined ? "done" : "error", error);
    };
    const onChunk = (c: any): void => {
      const p = c?.payload ?? {};
      const type = c?.type;
      // the step's first text, reasoning or tool call
      if (/delta$|^tool-call/.test(type)) firstAt ??= nowMs();
      if (type == "tool-call") {
        callAt ??= nowMs();
        const attributes = { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": p.toolName, "gen_ai.tool.call.id": p.toolCallId, "gen_ai.tool.call.arguments": p.args };
        tools.set(p.toolCallId, startSpan(child, "execute_tool " + p.toolName, attributes, "tool"));
      } else if (type == "tool-result" || type == "tool-error") {
        const t = tools.get(p.toolCallId);
        tools.delete(p.toolCallId);
        if (t && (type == "tool-error" || p.isError)) fail(t, p.error ?? p.result);
        else t?.setAttribute("gen_ai.tool.call.result", p.result).end();
      }
    };
    // one llm span per step, from the step's start to its model output (its tool calls run after that)
    const onStepFinish = (step: any): void => {
      const attributes = { "gen_ai.operation.name": "chat", "gen_ai.request.model": modelId, "gen_ai.provider.name": provider };
      const llm = startSpan(child, "chat " + modelId, attributes, "llm", stepStart);
      if (firstAt !== undefined) llm.setAttribute("gen_ai.response.time_to_first_chunk", (firstAt - stepStart) / 1000);
      recordResult(llm, modelId, () => ({
        id: step?.response?.id,
        model: step?.response?.modelId,
        finishReasons: [step?.finishReason],
        tools: step?.toolCalls?.map((t: any) => t.payload?.toolName ?? t.toolName),
        tokens: normalizeUsage(step?.usage),
        output: () => [{ role: "assistant", parts: [{ type: "text", content: step?.text }], finish_reason: step?.finishReason }],
      }));
      llm.end(callAt);
      stepStart = nowMs();
      firstAt = callAt = undefined;
    };
    const options = { ...args[1] };
    options.onChunk = chain(onChunk, options.onChunk);
    options.onStepFinish = chain(onStepFinish, options.onStepFinish);
    if (stream) {
      options.onFinish = chain(end, options.onFinish);
      options.onError = chain((e) => end(undefined, e?.error ?? e), options.onError);
      options.onAbort = chain(() => s.end("cancel"), options.onAbort);
    }
    let result: any;
    try {
      result = fn.call(self, args[0], options, ...args.slice(2));
    } catch (error) {
      end(undefined, error);
      throw error;
    }
    // generate(): the FullOutput ends the span; stream(): its onFinish / onError / onAbort
    return Promise.resolve(result).then(
      (r) => (stream || end(r), r),
      (error) => {
        end(undefined, error);
        throw error;
      },
    );
  };

const METHODS = { generate: run(false), stream: run(true) };

/**
 * The same Mastra agent, traced: each generate() / stream() one `invoke_agent {name}` span (type agent) with a child
 * llm span per model step and a child tool span per tool call (name, arguments, result, duration).
 */
export function wrapMastraAgent<T extends object>(agent: T, options?: WrapOptions): T {
  return wrapClient(agent, options ?? {}, METHODS);
}
