import { Session } from "./core/session";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import type { TracingOptions } from "./integrations/ai-sdk/types";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";
import type { ParentOption } from "./core/types";

/** A session with the Fallom integrations: `traceModel` (AI SDK models) and `wrapAISDK`. */
export class FallomSession extends Session {
  /**
   * The same AI SDK language model (spec v2, v3, v4), traced: one llm span per call, with this session's attributes.
   * `{ parent }` (a span, or a function read per call) nests the calls under it without AsyncLocalStorage.
   */
  traceModel<M extends object>(model: M, options?: Omit<TracingOptions, "session">): M {
    return traceModel(model, { ...options, session: this });
  }

  /** `{ generateText, streamText, generateObject, streamObject, … }` of the given `ai` module, traced. */
  wrapAISDK<T extends object>(ai: T, options?: { parent?: ParentOption }): ReturnType<typeof wrapAISDK<T>> {
    return wrapAISDK(ai, { parent: options?.parent, session: this });
  }
}
