import { core } from "./core/api";
import type { SessionOptions } from "./core/types";
import { FallomSession } from "./fallom-session";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";

export { FallomSession };

/** The Fallom SDK: `init`, `session`, `flush`, `stats`, `trace`. */
const fallom = { ...core, session: (options?: SessionOptions): FallomSession => new FallomSession(options) };
export default fallom;

// everything the core entry exports (its default is replaced by the one above)
export * from "./core/index";
export { fallomMiddleware } from "./integrations/ai-sdk/middleware";
export { fallomTelemetry } from "./integrations/ai-sdk/telemetry";
export { traceModel, wrapAISDK };
