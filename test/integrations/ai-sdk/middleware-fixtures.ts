// Deterministic mock models for ai 7 (spec v4, and v3/v2 models it converts), ai 6 (v3) and ai 5 (v2).
import * as ai7 from "ai";
import * as ai6 from "ai6";
import * as ai5 from "ai5";
import { MockLanguageModelV3 as Mock7V3, MockLanguageModelV4 } from "ai/test";
import { MockLanguageModelV3 as Mock6V3 } from "ai6/test";
import { MockLanguageModelV2 } from "ai5/test";

export type Spec = "v2" | "v3" | "v4";

export interface Flavor {
  name: string;
  ai: typeof ai7 & typeof ai6 & typeof ai5;
  spec: Spec;
  Mock: new (options: any) => any;
}

export const FLAVORS: Flavor[] = [
  { name: "ai7 / v4 model", ai: ai7 as any, spec: "v4", Mock: MockLanguageModelV4 },
  { name: "ai7 / v3 model", ai: ai7 as any, spec: "v3", Mock: Mock7V3 },
  { name: "ai7 / v2 model", ai: ai7 as any, spec: "v2", Mock: MockLanguageModelV2 },
  { name: "ai6 / v3 model", ai: ai6 as any, spec: "v3", Mock: Mock6V3 },
  { name: "ai5 / v2 model", ai: ai5 as any, spec: "v2", Mock: MockLanguageModelV2 },
];

export const MODEL_ID = "gpt-4o-mini";
export const RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

/** usage in the model's own spec shape: 12 in (4 cache read, 2 cache write on v3+), 20 out (5 reasoning) */
export function usage(spec: Spec): any {
  return spec === "v2"
    ? { inputTokens: 12, outputTokens: 20, totalTokens: 32, reasoningTokens: 5, cachedInputTokens: 4 }
    : { inputTokens: { total: 12, noCache: 6, cacheRead: 4, cacheWrite: 2 }, outputTokens: { total: 20, text: 15, reasoning: 5 } };
}

/** every usage attribute an llm span may carry */
export const USAGE_KEYS = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
  "gen_ai.usage.cache_read.input_tokens",
  "gen_ai.usage.cache_creation.input_tokens",
  "gen_ai.usage.reasoning.output_tokens",
];

/** what the span should carry for usage(spec) */
export function expectedUsage(spec: Spec): Record<string, number> {
  const u: Record<string, number> = {
    "gen_ai.usage.input_tokens": 12,
    "gen_ai.usage.output_tokens": 20,
    "gen_ai.usage.cache_read.input_tokens": 4,
    "gen_ai.usage.reasoning.output_tokens": 5,
  };
  if (spec !== "v2") u["gen_ai.usage.cache_creation.input_tokens"] = 2;
  return u;
}

export const finishReason = (spec: Spec, reason: string): any => (spec === "v2" ? reason : { unified: reason, raw: reason });

const metadata = (n: number) => ({ id: "resp-" + n, modelId: RESPONSE_MODEL, timestamp: new Date(1_700_000_000_000 + n) });

export interface Step {
  text?: string;
  reasoning?: string;
  toolCall?: { id: string; name: string; input: string };
  finish?: string;
}

/** generate result for one step */
export function generateResult(spec: Spec, step: Step, n = 0): any {
  const content: any[] = [];
  if (step.reasoning) content.push({ type: "reasoning", text: step.reasoning });
  if (step.text) content.push({ type: "text", text: step.text });
  if (step.toolCall) {
    const c = step.toolCall;
    content.push({ type: "tool-call", toolCallId: c.id, toolName: c.name, input: c.input });
  }
  return {
    content,
    finishReason: finishReason(spec, step.finish ?? (step.toolCall ? "tool-calls" : "stop")),
    usage: usage(spec),
    response: metadata(n),
    warnings: [],
  };
}

/** stream parts for one step */
export function streamParts(spec: Spec, step: Step, n = 0, withUsage = true): any[] {
  const parts: any[] = [{ type: "stream-start", warnings: [] }, { type: "response-metadata", ...metadata(n) }];
  if (step.reasoning) {
    parts.push({ type: "reasoning-start", id: "r" + n }, { type: "reasoning-delta", id: "r" + n, delta: step.reasoning });
    parts.push({ type: "reasoning-end", id: "r" + n });
  }
  if (step.text) {
    parts.push({ type: "text-start", id: "t" + n });
    for (const word of step.text.split(/(?= )/)) parts.push({ type: "text-delta", id: "t" + n, delta: word });
    parts.push({ type: "text-end", id: "t" + n });
  }
  if (step.toolCall) {
    const c = step.toolCall;
    parts.push({ type: "tool-input-start", id: c.id, toolName: c.name });
    parts.push({ type: "tool-input-delta", id: c.id, delta: c.input });
    parts.push({ type: "tool-input-end", id: c.id });
    parts.push({ type: "tool-call", toolCallId: c.id, toolName: c.name, input: c.input });
  }
  const finish: any = { type: "finish", finishReason: finishReason(spec, step.finish ?? (step.toolCall ? "tool-calls" : "stop")) };
  finish.usage = withUsage ? usage(spec) : spec === "v2" ? { inputTokens: undefined, outputTokens: undefined, totalTokens: undefined } : { inputTokens: {}, outputTokens: {} };
  parts.push(finish);
  return parts;
}

export interface ModelOptions {
  steps?: Step[];
  /** delay between stream parts */
  chunkDelayInMs?: number;
  initialDelayInMs?: number;
  /** make doGenerate / doStream throw this */
  error?: unknown;
  /** replace the stream of each call */
  stream?: (n: number) => ReadableStream<any>;
  withUsage?: boolean;
  modelId?: string;
  provider?: string;
}

export const HELLO: Step = { text: "Hello world, this is a stream" };

/** A mock model whose every call returns fresh, deterministic results (step n for the n-th call). */
export function mockModel(flavor: Flavor, o: ModelOptions = {}): any {
  const steps = o.steps ?? [HELLO];
  let generated = 0;
  let streamed = 0;
  return new flavor.Mock({
    provider: o.provider ?? "openai.chat",
    modelId: o.modelId ?? MODEL_ID,
    doGenerate: async () => {
      if (o.error) throw o.error;
      const n = generated++;
      return generateResult(flavor.spec, steps[Math.min(n, steps.length - 1)]!, n);
    },
    doStream: async () => {
      if (o.error) throw o.error;
      const n = streamed++;
      const stream =
        o.stream?.(n) ??
        flavor.ai.simulateReadableStream({
          chunks: streamParts(flavor.spec, steps[Math.min(n, steps.length - 1)]!, n, o.withUsage ?? true),
          chunkDelayInMs: o.chunkDelayInMs ?? null,
          initialDelayInMs: o.initialDelayInMs ?? null,
        });
      return { stream };
    },
  });
}

// wall-clock measurements ai takes itself (not through _internal.now): they differ run to run
const TIMINGS = new Set(["toolExecutionMs"]);

/** Plain JSON of a value with getters of class instances expanded (ai results are classes with getters). */
export function plain(value: unknown, depth = 0): unknown {
  if (depth > 12 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Promise || typeof (value as any).getReader === "function") return "[async]";
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  const out: Record<string, unknown> = {};
  const keys = new Set<string>(Object.keys(value));
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get && !k.startsWith("_")) keys.add(k);
  }
  for (const k of [...keys].sort()) {
    let v: unknown;
    try {
      v = (value as any)[k];
    } catch (e) {
      v = "[throws " + String(e) + "]";
    }
    if (typeof v === "function") continue;
    out[k] = TIMINGS.has(k) ? "[timing]" : plain(v, depth + 1);
  }
  return out;
}

/** `_internal` options that make ai's ids, clocks and timing metrics deterministic (ai 5, 6, 7 spellings) */
export function internal(): Record<string, unknown> {
  let id = 0;
  let call = 0;
  let t = 1_000;
  return {
    generateId: () => "id-" + id++,
    generateCallId: () => "call-" + call++,
    now: () => (t += 10),
    currentDate: () => new Date(1_700_000_000_000),
  };
}
