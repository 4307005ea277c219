import { core } from "./core/api";
import { Session } from "./core/session";
import type { SessionOptions, SpanOptions } from "./core/types";
import type { Span } from "./core/span";
import { ambientSession, runAmbient, setAmbient } from "./config/ambient";
import { linkageOf } from "./config/linkage";
import { assignModel, models } from "./config/models";
import { getPrompt, getPromptAB, prompts, type PromptOptions } from "./config/prompts";
import type { PromptResult } from "./config/types";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";

/** A session with the Fallom integrations: `traceModel` (AI SDK models) and `wrapAISDK`. */
export class FallomSession extends Session {
  constructor(options?: SessionOptions) {
    super(options);
    // prompt / model-config resolved earlier for this sessionId (e.g. prompts.getAB before the session existed)
    const linked = linkageOf(this.getContext().sessionId);
    if (linked) this.setAttributes(linked);
  }

  /** The A/B model of this session's `configKey` (sticky per sessionId); stamps `fallom.model_config.*` on its later spans. */
  getModel(options?: { fallback?: string; version?: number }): Promise<string> {
    const { configKey, sessionId, customerId } = this.getContext();
    if (typeof configKey != "string" || typeof sessionId != "string") {
      const fallback = options?.fallback;
      if (typeof fallback == "string") return Promise.resolve(fallback);
      return Promise.reject(new TypeError("session.getModel() needs a session with configKey and sessionId: fallom.session({ configKey, sessionId })"));
    }
    return assignModel(configKey, sessionId, { customerId, ...options }, this);
  }

  /** prompts.get, linked to this session: its later spans carry `gen_ai.prompt.name` and `fallom.prompt.version`. */
  getPrompt(promptKey: string, options?: PromptOptions): Promise<PromptResult> {
    return getPrompt(promptKey, options, this);
  }

  /** prompts.getAB with this session's id, linked to this session (also `fallom.prompt.ab_test_key` / `variant_index`). */
  getPromptAB(abTestKey: string, options?: PromptOptions): Promise<PromptResult> {
    return getPromptAB(abTestKey, this.getContext().sessionId!, options, this);
  }

  /** The same AI SDK language model (spec v2, v3, v4), traced: one llm span per call, with this session's attributes. */
  traceModel<M extends object>(model: M): M {
    return traceModel(model, { session: this });
  }

  /** `{ generateText, streamText, generateObject, streamObject, … }` of the given `ai` module, traced. */
  wrapAISDK<T extends object>(ai: T): ReturnType<typeof wrapAISDK<T>> {
    return wrapAISDK(ai, { session: this });
  }
}

const newSession = (configKey: string, sessionId: string, customerId?: string) => new FallomSession({ configKey, sessionId, customerId });

/**
 * Custom metrics (`trace.span`) and Fallom's ambient session, scoped to an AsyncLocalStorage context:
 * `trace.runWithSession(configKey, sessionId, [customerId,] fn)`, `trace.setSession(configKey, sessionId, customerId?)`
 * (inside runWithSession, or where the runtime has enterWith), `trace.getSession()`, `trace.clearSession()`.
 * Where the runtime has no AsyncLocalStorage these throw an error saying to use `fallom.session()`.
 */
export const trace = {
  span: (data: Record<string, unknown>, options: SessionOptions & SpanOptions = {}): Span => {
    const ambient = options?.sessionId === undefined ? ambientSession() : undefined;
    return ambient ? ambient.recordMetrics(data, options) : core.trace.span(data, options);
  },
  setSession: (configKey: string, sessionId: string, customerId?: string): void => setAmbient(newSession(configKey, sessionId, customerId)),
  clearSession: (): void => setAmbient(undefined),
  getSession: (): FallomSession | undefined => ambientSession() as FallomSession | undefined,
  runWithSession<R>(configKey: string, sessionId: string, customerIdOrFn: string | (() => R), fn?: () => R): R {
    return typeof customerIdOrFn == "function"
      ? runAmbient(newSession(configKey, sessionId), customerIdOrFn)
      : runAmbient(newSession(configKey, sessionId, customerIdOrFn), fn!);
  },
};

/** The Fallom SDK: `init`, `session`, `flush`, `stats`, `trace`, `models`, `prompts`. */
const fallom = { ...core, trace, models, prompts, session: (options?: SessionOptions): FallomSession => new FallomSession(options) };
export default fallom;

// everything the core entry exports (its default is replaced by the one above)
export * from "./core/index";
export { fallomMiddleware } from "./integrations/ai-sdk/middleware";
export { fallomTelemetry } from "./integrations/ai-sdk/telemetry";
export { traceModel, wrapAISDK };
export { models, prompts };
export type { ModelOptions } from "./config/models";
export type { PromptOptions, PromptResult };
export type { CacheStore } from "./core/options";
