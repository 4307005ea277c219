import { expectSpan } from "../../core/sdk";
import { traceGenerate, traceStream } from "./middleware";
import type { CallOptions, LanguageModel, TracingOptions } from "./types";

const TRACED = Symbol.for("fallom.traced");

/**
 * A traced view of an AI SDK language model (spec v2, v3 or v4): every property and getter of the original,
 * with doGenerate / doStream recorded as llm spans. The original is not modified; tracing twice is a no-op.
 */
export function traceModel<M extends object>(model: M, options?: TracingOptions): M {
  if (Object(model) !== model) return model;
  // a traced model traced again: the same one without new options, else its original with them (one span per call)
  const original = (model as any)[TRACED];
  if (original && !options) return model;
  const m = (original ?? model) as M & LanguageModel;
  const o = options ?? {};
  const doGenerate = (params: CallOptions) => traceGenerate(m, params, () => m.doGenerate(params), o);
  const doStream = (params: CallOptions) => traceStream(m, params, () => m.doStream(params), o);
  const session = o.session;
  return new Proxy(m, {
    // getters run against the original (receiver = target), as ai's own model proxies do
    get(target, key) {
      if (key === "doGenerate") return doGenerate;
      if (key === "doStream") return doStream;
      if (key === TRACED) return target;
      // ai reads specificationVersion once, synchronously, as generateText/streamText start: a call is coming, so a
      // flush() called before the stream starts still covers it
      if (key === "specificationVersion" && session) expectSpan(session, 1000);
      return Reflect.get(target, key);
    },
  });
}
