import { linkageOf } from "./config/linkage";
import { assignModel } from "./config/models";
import { getPrompt, getPromptAB, type PromptOptions } from "./config/prompts";
import type { PromptResult } from "./config/types";
import { Session } from "./core/session";
import { wrapAnthropic } from "./integrations/anthropic/wrap-anthropic";
import { wrapGoogleAI } from "./integrations/google/wrap-google";
import { wrapMastraAgent } from "./integrations/mastra/wrap-mastra";
import { wrapOpenAI, type OpenAIWrapOptions } from "./integrations/openai/wrap-openai";
import type { WrapOptions } from "./integrations/common/llm-span";
import { traceModel } from "./integrations/ai-sdk/trace-model";
import type { TracingOptions } from "./integrations/ai-sdk/types";
import { wrapAISDK } from "./integrations/ai-sdk/wrap-ai-sdk";
import type { ParentOption, SessionOptions } from "./core/types";

/** A session with the Fallom integrations: AI SDK (`traceModel`, `wrapAISDK`), configs and prompts (`getModel`, `getPrompt`, `getPromptAB`) and the provider client wrappers. */
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
