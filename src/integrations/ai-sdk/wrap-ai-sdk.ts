import { runInContext } from "../../core/context";
import { track } from "../../core/sdk";
import type { Session } from "../../core/session";
import { parentOf, type Span } from "../../core/span";
import type { ParentOption } from "../../core/types";
import { callInput } from "./content";
import { capturing, providerName } from "./middleware";
import { traceModel } from "./trace-model";
import { startSpan, wrapTools } from "./wrap-tools";

const NAMES = ["generateText", "streamText", "generateObject", "streamObject", "embed", "embedMany"] as const;
export type WrappedAISDKName = (typeof NAMES)[number];

/**
 * `generateText`, `streamText`, `generateObject`, `streamObject`, `embed`, `embedMany` (those present on `ai`),
 * unchanged in behaviour and results, each call traced as an `invoke_agent` span with a child llm span per model
 * call and a child tool span per tool execution. Parents are explicit: no AsyncLocalStorage needed. The
 * `invoke_agent` span's parent is `options.parent` (a span or a function read per call), else the active span
 * or the session's default parent.
 */
export function wrapAISDK<T extends object>(
  ai: T,
  options?: { session?: Session; parent?: ParentOption },
): Pick<T, WrappedAISDKName & keyof T> {
  const out: any = {};
  for (const name of NAMES) {
    let fn = (ai as any)?.[name];
    // wrapping a wrapped function wraps its original: one span per call, the newest session wins
    fn = fn?.[ORIGINAL] ?? fn;
    if (typeof fn === "function") out[name] = Object.assign((o: any) => call(name, fn, o, options?.session, options?.parent), { [ORIGINAL]: fn });
  }
  return out;
}

const ORIGINAL = /* @__PURE__ */ Symbol.for("fallom.original");

// ai 5-7 default when no onError is given; kept because passing ours replaces it
const logError = (e: any) => console.error(e?.error);

function call(name: WrappedAISDKName, fn: (o: any) => any, o: any, session?: Session, parent?: ParentOption): any {
  const embed = name[0] === "e";
  let span: Span | undefined;
  try {
    const m = o.model;
    const model = typeof m === "string" ? m : m?.modelId;
    // semconv names: `embeddings {model}`, `invoke_agent {agent}` (the telemetry functionId, else the ai function)
    const agent = embed ? undefined : (o.experimental_telemetry?.functionId ?? name);
    span = startSpan(session, embed ? "embeddings " + model : "invoke_agent " + agent, {
      type: embed ? "llm" : "agent",
      parent: parentOf(parent),
      attributes: {
        "gen_ai.operation.name": embed ? "embeddings" : "invoke_agent",
        "gen_ai.agent.name": agent,
        "gen_ai.request.model": model,
        "gen_ai.provider.name": typeof m?.provider == "string" ? providerName(m.provider) : undefined,
      },
    });
    if (capturing()) span.later(callInput(o));
  } catch {}
  if (!span?.isRecording()) return fn(o);
  const s = span;
  let release: (() => void) | undefined;
  // ends the span once: on settle, stream finish / error / abort, or the flush deadline
  const done = (v?: any, failed?: boolean, error?: unknown) => {
    try {
      // streamObject's onFinish reports a schema mismatch as `error`
      if (failed || v?.error != null) s.setError(failed ? error : v.error);
      else if (v) {
        s.setOutput(v.object ?? v.text);
        const u = v.totalUsage ?? v.usage;
        if (embed) s.setAttribute("gen_ai.usage.input_tokens", u?.tokens);
        else {
          // totals only under fallom.*: gen_ai.usage.* on the parent would double count the llm children
          s.setAttribute("fallom.total_usage.input_tokens", u?.inputTokens);
          s.setAttribute("fallom.total_usage.output_tokens", u?.outputTokens);
        }
      }
      s.end();
    } catch {}
    release?.();
  };
  const fail = (error: unknown): never => {
    done(0, true, error);
    throw error;
  };
  let opts = o;
  try {
    opts = { ...o };
    const parent = () => s;
    if (!embed && o.model && typeof o.model === "object") opts.model = traceModel(o.model, { session, parent });
    if (o.tools) opts.tools = wrapTools(o.tools, parent, session);
    // a step may switch models (prepareStep → { model }): trace that one too; ai awaits prepareStep
    if (typeof o.prepareStep === "function")
      opts.prepareStep = async function (this: unknown) {
        const r = await o.prepareStep.apply(this, arguments);
        return r?.model && typeof r.model === "object" ? { ...r, model: traceModel(r.model, { session, parent }) } : r;
      };
    if (name[0] === "s") {
      const hook = (user: Function | undefined, ours: (e: any) => void) =>
        function (this: unknown, e: any) {
          try {
            return user?.apply(this, arguments as any);
          } finally {
            ours(e);
          }
        };
      opts.onFinish = hook(o.onFinish, done);
      // ai 7 prefers onEnd (defaulting to onFinish); wrap it only when given so ai 5/6 see no new option
      if (o.onEnd) opts.onEnd = hook(o.onEnd, done);
      opts.onError = hook(o.onError ?? logError, (e) => done(0, true, e?.error));
      if (name === "streamText") {
        opts.onAbort = hook(o.onAbort, () => {
          s.setAttribute("fallom.stream.cancelled", true);
          s.setStatus("error", "aborted");
          done();
        });
      }
      // a stream nobody reads never calls back: flush ends the span at its deadline
      track(new Promise<void>((r) => (release = r)), () => {
        s.setAttribute("fallom.stream.unconsumed", true);
        s.setStatus("error", "stream not consumed before the flush deadline");
        done();
      });
    }
  } catch {
    opts = o;
  }
  let result: any;
  try {
    result = runInContext(s, () => fn(opts));
  } catch (error) {
    fail(error);
  }
  if (name[0] === "s" || typeof result?.then !== "function") return result;
  return result.then((v: unknown) => (done(v), v), fail);
}
