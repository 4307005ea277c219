// A support chat on Cloudflare Workers, traced with @fallom/trace the way the README shows:
// - `fallomHono` gives every request a SERVER span, a session (`c.get("fallom")`) and a flush after the body;
// - `prompts.getAB` picks the system prompt and `models.get` the model for the session's A/B tests (sticky per
//   session id), cached in a KV namespace;
// - AI SDK `streamText` / `generateText` with a traced model and one traced tool; streamed turns send the UI
//   message stream (text and tool parts) to the client.
// With no OPENAI_API_KEY / ANTHROPIC_API_KEY the model is a deterministic built-in mock, so it runs offline.
import { generateText, stepCountIs, streamText, type LanguageModel } from "ai";
import { Hono } from "hono";
import { models, prompts } from "@fallom/trace";
import { wrapTools } from "@fallom/trace/ai-sdk";
import { fallomHono } from "@fallom/trace/hono";
import { providerModel } from "./provider-model";
import { lookupOrder } from "./tools";

type Bindings = {
  FALLOM_API_KEY?: string;
  FALLOM_BASE_URL?: string;
  /** config/prompt cache shared by the isolates of this Worker */
  FALLOM_KV?: KVNamespace;
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
};

interface KVNamespace {
  get(key: string, type: "text"): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

interface Turn {
  message: string;
  stream: boolean;
  customerName: string;
  system: string;
  user: string;
  promptKey: string;
  modelId: string;
}

const CONFIG_KEY = "support-bot";
const PROMPT_AB_TEST = "support-tone";
// used when the prompt service cannot be reached and nothing is cached: the chat keeps working
const FALLBACK_PROMPT = { key: "fallback", system: "You are Acme Shop's support assistant.", user: "" };

const app = new Hono<{ Bindings: Bindings; Variables: { turn: Turn } }>();

app.get("/", (c) =>
  c.text('worker-example: POST /chat {"message": "…", "stream": true, "customerName": "Ada"} with x-session-id / x-user-id headers'),
);

app.use(
  "/chat",
  fallomHono({
    init: (c) => ({ env: c.env, serviceName: "worker-example", cache: c.env.FALLOM_KV }),
    // Fallom's order: resolve the prompt and model for the session id, then the session created for that id
    // carries the prompt / model-config linkage on all its spans.
    session: async (c) => {
      const sessionId = c.req.header("x-session-id") ?? crypto.randomUUID();
      const customerId = c.req.header("x-user-id");
      const body = await c.req.json<{ message?: string; stream?: boolean; customerName?: string }>().catch(() => ({}) as Record<string, never>);
      const message = typeof body.message === "string" ? body.message : "hello";
      const customerName = typeof body.customerName === "string" ? body.customerName : "there";
      const prompt = await prompts.getAB(PROMPT_AB_TEST, sessionId, { variables: { customerName, question: message } }).catch(() => FALLBACK_PROMPT);
      const modelId = await models.get(CONFIG_KEY, sessionId, { fallback: "gpt-4o-mini", customerId });
      c.set("turn", { message, stream: body.stream !== false, customerName, system: prompt.system, user: prompt.user || message, promptKey: prompt.key, modelId });
      return { sessionId, customerId, configKey: CONFIG_KEY, tags: ["worker-example"] };
    },
  }),
);

app.post("/chat", async (c) => {
  const session = c.get("fallom");
  const turn = c.get("turn");
  const model = session.traceModel(providerModel(turn.modelId, c.env)) as LanguageModel;
  const headers = { "x-model": turn.modelId, "x-prompt": turn.promptKey, "x-session-id": session.getContext().sessionId ?? "" };
  // each tool call becomes a `tool` span beside the LLM calls, under the request's span
  const tools = wrapTools({ lookupOrder }, () => c.get("fallomSpan"), session);
  const request = { model, system: turn.system, prompt: turn.user, tools, stopWhen: stepCountIs(3) };

  if (turn.stream) {
    const result = streamText(request);
    return result.toUIMessageStreamResponse({ headers });
  }
  try {
    const result = await generateText(request);
    return c.json({ text: result.text, model: turn.modelId, prompt: turn.promptKey, usage: result.totalUsage }, 200, headers);
  } catch (error) {
    // the llm span already records the provider error; the client gets a clear 502
    return c.json({ error: String((error as Error)?.message ?? error) }, 502, headers);
  }
});

export default app;
