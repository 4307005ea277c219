import { core } from "./core/api";
import { Session } from "./core/session";
import type { SessionOptions } from "./core/types";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";

/** A session with the Fallom integrations: `traceModel` (AI SDK models) and `wrapAISDK`. */
export class FallomSession extends Session {
  /** The same AI SDK language model (spec v2, v3, v4), traced: one llm span per call, with this session's attributes. */
  traceModel<M extends object>(model: M): M {
    return traceModel(model, { session: this });
  }

  /** `{ generateText, streamText, generateObject, streamObject, … }` of the given `ai` module, traced. */
  wrapAISDK<T extends object>(ai: T): ReturnType<typeof wrapAISDK<T>> {
    return wrapAISDK(ai, { session: this });
  }
}

/** A session with the Fallom integrations (`import { session } from "@fallom/trace"`, `require("@fallom/trace").session`). */
export const session = (options?: SessionOptions): FallomSession => new FallomSession(options);

/** The Fallom SDK: `init`, `session`, `flush`, `stats`, `trace`. */
const fallom = { ...core, session };
export default fallom;

// everything the core entry exports, by name (its default and session are replaced by the ones above): the core
// loads from the private dist/internal.js, whose extra helpers must not be re-exported
export { init, flush, stats, track, trace, VERSION, Session, Span } from "./core/index";
export type * from "./core/index";
export { fallomMiddleware } from "./integrations/ai-sdk/middleware";
export { fallomTelemetry } from "./integrations/ai-sdk/telemetry";
export { traceModel, wrapAISDK };
