// What every provider wrapper does around one call: start its llm span, record errors, price usage.
import { getOptions } from "../../core/sdk";
import type { Session } from "../../core/session";
import { Span, tokenAttributes } from "../../core/span";
import type { SpanLike, TokenCounts } from "../../core/types";
import { costAttributes, type PriceOverrides } from "../../pricing/cost";
import { PRICES_DATE } from "../../pricing/prices";
import { uploads } from "./uploads";

/** Options of every provider wrapper (`wrapOpenAI(client, options)`, `wrapAnthropic`, `wrapGoogleAI`, …) */
export interface WrapOptions {
  /** Session whose attributes (session.id, user.id, config key, prompt linkage) every span carries */
  session?: Session;
  /** Parent of each span: a span, or a function read per call (nesting without AsyncLocalStorage) */
  parent?: SpanLike | (() => SpanLike | undefined);
}

export const capturing = (): boolean => getOptions()?.captureContent !== false;

/** `fallom.cost.*` for the first priced model id (response model before request model), dated by the price table */
export function cost(tokens: TokenCounts, ...models: Array<string | undefined>): Record<string, unknown> {
  const prices = getOptions()?.prices as PriceOverrides | undefined;
  for (const model of models) {
    const attrs = costAttributes(model, tokens, prices);
    if (attrs) return { ...attrs, "fallom.pricing.date": PRICES_DATE };
  }
  return {};
}

/** A span in the wrapper's session (so its default parent and attributes apply), else a bare one */
export function startSpan(
  o: WrapOptions | undefined,
  name: string,
  attributes: Record<string, unknown>,
  type: "llm" | "agent" | "tool" = "llm",
  startTime?: number,
): Span {
  let parent = o?.parent;
  try {
    if (typeof parent == "function") parent = parent();
  } catch {
    parent = undefined;
  }
  const options = { type, parent: parent as SpanLike | undefined, attributes, startTime };
  return o?.session ? o.session.startSpan(name, options) : new Span(name, options);
}

/** Marks the span failed and ends it; `error.type` is the HTTP status when the SDK gives one (semconv), else the error's name */
export function fail(span: Span, error: unknown): void {
  span.setError(error);
  let status: unknown;
  try {
    status = (error as { status?: unknown } | undefined)?.status;
  } catch {}
  // after setError, which sets the error's name
  if (status != null) span.setAttribute("error.type", String(status));
  span.end();
}

/**
 * Runs an SDK call whose result is a value, a promise, or a Stainless `APIPromise` (openai, @anthropic-ai/sdk): that
 * one is kept (`withResponse()`, `asResponse()` still work) by chaining through its own `_thenUnwrap`. `done` gets the
 * result and returns what the caller receives; errors are recorded and rethrown unchanged.
 */
export function traceCall(span: Span, run: () => any, done: (value: any) => any): any {
  let result: any;
  try {
    result = run();
  } catch (error) {
    fail(span, error);
    throw error;
  }
  const safe = (value: unknown) => {
    try {
      return done(value);
    } catch {
      span.end();
      return value;
    }
  };
  if (typeof result?._thenUnwrap == "function") {
    // a handled branch: the caller's own promise still rejects with the same error
    result.responsePromise?.then(undefined, (error: unknown) => fail(span, error));
    return result._thenUnwrap(safe);
  }
  if (typeof result?.then == "function")
    return result.then(safe, (error: unknown) => {
      fail(span, error);
      throw error;
    });
  return safe(result);
}

/** A copy of a request body as sent, its lists copied too: callers often reuse a body and push to its messages after the call, and content is read at export */
export function sent(body: any, ...lists: string[]): any {
  const req = { ...body };
  for (const k of lists) if (Array.isArray(req[k])) req[k] = req[k].slice();
  return req;
}

/** What a finished call returned, read at export */
export interface CallResult {
  id?: string;
  model?: string;
  finishReasons?: unknown[];
  /** names of the tools the model called (recorded even without content capture: names are not content) */
  tools?: string[];
  tokens: TokenCounts;
  /** `gen_ai.output.messages`, computed only when content is captured */
  output: () => unknown;
}

/** Response id and model, finish reasons, tool calls, usage, cost and output of a call, computed at export */
export function recordResult(span: Span, requestModel: unknown, read: () => CallResult): void {
  span.later(() => {
    const r = read();
    const reasons = r.finishReasons?.filter(Boolean);
    return {
      "gen_ai.response.id": r.id,
      "gen_ai.response.model": r.model,
      "gen_ai.response.finish_reasons": reasons?.length ? reasons : undefined,
      "fallom.response.tool_calls": r.tools?.length ? r.tools : undefined,
      ...tokenAttributes(r.tokens),
      ...cost(r.tokens, r.model, requestModel as string),
      "gen_ai.output.messages": capturing() ? r.output() : undefined,
    };
  });
}

/**
 * One traced SDK call in an llm span `{operation} {model}`. At export, `request()` gives the request attributes and
 * `input()` the content attributes (when captured). A plain result goes to `result`, then the span ends; a streamed
 * one to `observe`, which returns what the caller gets and ends the span with the stream.
 */
export function llmCall(
  o: WrapOptions | undefined,
  operation: string,
  model: unknown,
  stream: boolean,
  request: () => Record<string, unknown>,
  input: () => Record<string, unknown>,
  run: () => any,
  result: (span: Span, r: any) => void,
  observe: (span: Span, r: any) => any,
): any {
  const span = startSpan(o, operation + " " + model, { "gen_ai.operation.name": operation, "gen_ai.request.model": model, "gen_ai.request.stream": stream });
  if (!span.isRecording()) return run();
  const content = uploads(span, input);
  span.later(() => ({ ...request(), ...(capturing() && content()) }));
  return traceCall(span, run, (r) => (stream ? observe(span, r) : (result(span, r), span.end(), r)));
}
