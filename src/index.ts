import { core } from "./core/api";
import { Session } from "./core/session";
import type { SessionOptions } from "./core/types";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";
import { wrapAnthropic } from "./integrations/anthropic/wrap-anthropic";
import { wrapGoogleAI } from "./integrations/google/wrap-google";
import { wrapMastraAgent } from "./integrations/mastra/wrap-mastra";
import { wrapOpenAI, type OpenAIWrapOptions } from "./integrations/openai/wrap-openai";
import type { WrapOptions } from "./integrations/shared/llm-span";

/** A session with the Fallom integrations: `traceModel` and `wrapAISDK` (AI SDK), and the provider client wrappers. */
export class FallomSession extends Session {
  /** The same AI SDK language model (spec v2, v3, v4), traced: one llm span per call, with this session's attributes. */
  traceModel<M extends object>(model: M): M {
    return traceModel(model, { session: this });
  }

  /** `{ generateText, streamText, generateObject, streamObject, … }` of the given `ai` module, traced. */
  wrapAISDK<T extends object>(ai: T): ReturnType<typeof wrapAISDK<T>> {
    return wrapAISDK(ai, { session: this });
  }

  /** The same OpenAI (or OpenAI-compatible) client, traced: one llm span per call in this session, streams included. */
  wrapOpenAI<T extends object>(client: T, options?: Omit<OpenAIWrapOptions, "session">): T {
    return wrapOpenAI(client, { ...options, session: this });
  }

  /** The same Anthropic client, traced: one llm span per message call in this session, streams included. */
  wrapAnthropic<T extends object>(client: T, options?: Omit<WrapOptions, "session">): T {
    return wrapAnthropic(client, { ...options, session: this });
  }

  /** The same Gemini model (@google/generative-ai) or client (@google/genai), traced in this session, streams included. */
  wrapGoogleAI<T extends object>(modelOrClient: T, options?: Omit<WrapOptions, "session">): T {
    return wrapGoogleAI(modelOrClient, { ...options, session: this });
  }

  /** The same Mastra agent, traced in this session: an invoke_agent span per generate() / stream() with llm and tool children. */
  wrapMastraAgent<T extends object>(agent: T, options?: Omit<WrapOptions, "session">): T {
    return wrapMastraAgent(agent, { ...options, session: this });
  }
}

/** The Fallom SDK: `init`, `session`, `flush`, `stats`, `trace`. */
const fallom = { ...core, session: (options?: SessionOptions): FallomSession => new FallomSession(options) };
export default fallom;

// everything the core entry exports (its default is replaced by the one above)
export * from "./core/index";
export { fallomMiddleware } from "./integrations/ai-sdk/middleware";
export { fallomTelemetry } from "./integrations/ai-sdk/telemetry";
export { traceModel, wrapAISDK };
