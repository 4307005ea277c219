import { core } from "./core/api";
import type { SessionOptions, SpanOptions } from "./core/types";
import type { Span } from "./core/span";
import { ambientSession, runAmbient, setAmbient } from "./config/ambient";
import { models } from "./config/models";
import { prompts } from "./config/prompts";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";
import { FallomSession } from "./fallom-session";

export { FallomSession };

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

/** A session with the Fallom integrations (`import { session } from "@fallom/trace"`, `require("@fallom/trace").session`). */
export const session = (options?: SessionOptions): FallomSession => new FallomSession(options);

/** The Fallom SDK: `init`, `session`, `flush`, `stats`, `trace`, `models`, `prompts`. */
const fallom = { ...core, trace, models, prompts, session };
export default fallom;

// everything the core entry exports, by name (its default, session and trace are replaced by the ones above): the core
// loads from the private dist/internal.js, whose extra helpers must not be re-exported
export { init, flush, stats, track, VERSION, Session, Span } from "./core/index";
export type * from "./core/index";
export { fallomMiddleware } from "./integrations/ai-sdk/middleware";
export { fallomTelemetry } from "./integrations/ai-sdk/telemetry";
export { traceModel, wrapAISDK };
export { models, prompts };
export type { ModelOptions } from "./config/models";
export type { PromptOptions } from "./config/prompts";
export type { PromptResult } from "./config/types";
export type { Attachment, CacheStore } from "./core/options";
