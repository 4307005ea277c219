import { traceGenerate, traceStream } from "./middleware";
import type { CallOptions, LanguageModel, TracingOptions } from "./types";

const TRACED = Symbol.for("fallom.traced");

/**
 * A traced view of an AI SDK language model (spec v2, v3 or v4): every property and getter of the original,
 * with doGenerate / doStream recorded as llm spans. The original is not modified; tracing twice is a no-op.
 */
export function traceModel<M extends object>(model: M, options?: TracingOptions): M {
  const m = model as M & LanguageModel;
  if (Object(m) !== m || (m as any)[TRACED]) return model;
  const o = options ?? {};
  const doGenerate = (params: CallOptions) => traceGenerate(m, params, () => m.doGenerate(params), o);
  const doStream = (params: CallOptions) => traceStream(m, params, () => m.doStream(params), o);
  return new Proxy(m, {
    // getters run against the original (receiver = target), as ai's own model proxies do
    get: (target, key) =>
      key === "doGenerate" ? doGenerate : key === "doStream" ? doStream : key === TRACED || Reflect.get(target, key),
  });
}
