// A deterministic stand-in for a provider model (AI SDK language model spec v4), so the example and `npm run demo`
// run offline: it streams tokens with provider-like pacing, calls the `lookupOrder` tool when asked about an
// order, reports realistic usage (incl. cached input), and fails like an overloaded provider when asked to.
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";

/** An error shaped like the AI SDK's APICallError for a 529 from the provider. */
export class MockProviderError extends Error {
  readonly statusCode = 529;
  readonly isRetryable = false;
  constructor(modelId: string) {
    super(`${modelId} is overloaded (mock provider 529)`);
    this.name = "AI_APICallError";
  }
}

// waits on a timer: on Workers the clock advances only across I/O, so spans get real-looking durations
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Prompt = LanguageModelV4CallOptions["prompt"];

function textOf(prompt: Prompt, role: string): string {
  return prompt
    .filter((m) => m.role === role)
    .flatMap((m) => (typeof m.content === "string" ? [m.content] : m.content.map((p: any) => (p.type === "text" ? p.text : ""))))
    .join("\n");
}

function toolResultOf(prompt: Prompt): unknown {
  for (const m of [...prompt].reverse()) {
    if (m.role !== "tool") continue;
    const part = m.content.find((p: any) => p.type === "tool-result") as any;
    return part?.output?.value ?? part?.output;
  }
  return undefined;
}

/** ~4 characters per token, like English text with a BPE tokenizer */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function usage(prompt: Prompt, output: string): LanguageModelV4Usage {
  const system = textOf(prompt, "system");
  const input = tokens(JSON.stringify(prompt)) + 40; // + tool definitions and chat framing
  const cacheRead = system.length > 60 ? Math.min(input - 1, tokens(system) + 32) : 0; // the system prompt is a cached prefix
  return {
    inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
    outputTokens: { total: tokens(output), text: tokens(output), reasoning: 0 },
  };
}

interface Turn {
  toolCall?: { orderId: string };
  text?: string;
}

/** What the mock answers: a tool call for an order question without a tool result yet, else a text answer. */
function decide(prompt: Prompt): Turn {
  const user = textOf(prompt, "user");
  const system = textOf(prompt, "system");
  const result = toolResultOf(prompt) as { orderId?: string; status?: string; eta?: string } | undefined;
  const name = /(?:Greet|Answer) (\w+)/.exec(system)?.[1] ?? "there";
  const friendly = /warm|upbeat/i.test(system);
  if (result) {
    return { text: friendly ? `Hi ${name}! Good news: order ${result.orderId} is ${result.status} and arrives ${result.eta}. Anything else I can do?` : `Order ${result.orderId} is ${result.status}; it arrives ${result.eta}.` };
  }
  const order = /\b([A-Z]-\d+)\b/.exec(user);
  if (order && /order/i.test(user)) return { toolCall: { orderId: order[1]! } };
  return {
    text: friendly
      ? `Hi ${name}! Happy to help. You can change your plan any time under Settings → Billing, and the new price starts next cycle.`
      : `Change your plan under Settings → Billing; the new price starts next cycle.`,
  };
}

export function mockModel(modelId: string, provider = "openai"): LanguageModelV4 {
  let responses = 0;
  const respond = (options: LanguageModelV4CallOptions) => {
    const user = textOf(options.prompt, "user");
    if (/\[fail\]/.test(user)) throw new MockProviderError(modelId);
    return { turn: decide(options.prompt), id: `mock-${modelId}-${++responses}` };
  };
  return {
    specificationVersion: "v4",
    provider: `${provider}.mock`,
    modelId,
    supportedUrls: {},
    async doGenerate(options) {
      await pause(40);
      const { turn, id } = respond(options);
      const content = turn.toolCall
        ? [{ type: "tool-call" as const, toolCallId: `call-${id}`, toolName: "lookupOrder", input: JSON.stringify(turn.toolCall) }]
        : [{ type: "text" as const, text: turn.text! }];
      return {
        content,
        finishReason: { unified: turn.toolCall ? "tool-calls" : "stop", raw: turn.toolCall ? "tool_calls" : "stop" },
        usage: usage(options.prompt, turn.text ?? JSON.stringify(turn.toolCall)),
        response: { id, modelId, timestamp: new Date() },
        warnings: [],
      };
    },
    async doStream(options) {
      await pause(25); // time to first chunk
      const { turn, id } = respond(options);
      const output = turn.text ?? JSON.stringify(turn.toolCall);
      const words = turn.text ? turn.text.split(/(?<= )/) : [];
      let i = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "response-metadata", id, modelId, timestamp: new Date() });
          if (turn.toolCall) {
            controller.enqueue({ type: "tool-call", toolCallId: `call-${id}`, toolName: "lookupOrder", input: JSON.stringify(turn.toolCall) });
          } else {
            controller.enqueue({ type: "text-start", id: "t0" });
          }
        },
        async pull(controller) {
          if (i < words.length) {
            await pause(4);
            controller.enqueue({ type: "text-delta", id: "t0", delta: words[i++]! });
            return;
          }
          if (!turn.toolCall) controller.enqueue({ type: "text-end", id: "t0" });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: turn.toolCall ? "tool-calls" : "stop", raw: turn.toolCall ? "tool_calls" : "stop" },
            usage: usage(options.prompt, output),
          });
          controller.close();
        },
      });
      return { stream };
    },
  };
}
