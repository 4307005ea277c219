import { runInContext } from "../../core/context";
import type { Session } from "../../core/session";
import { Span } from "../../core/span";
import type { SpanLike, SpanOptions } from "../../core/types";

/** A span in `session` when given (its attributes, its open-span list), else a bare one: same trace rules. */
export const startSpan = (session: Session | undefined, name: string, options: SpanOptions): Span => new Span(name, options, session);

/**
 * A copy of an AI SDK tool set whose `execute` functions each record a child `tool` span of `parent()`.
 * The user's object and tools are never mutated; results, errors and streaming (async iterable) outputs pass through.
 */
export function wrapTools<T>(tools: T, parent: () => SpanLike | undefined, session?: Session): T {
  if (!tools || typeof tools !== "object") return tools;
  const out: any = {};
  for (const name of Object.keys(tools)) {
    const tool = (tools as any)[name];
    const execute = tool?.execute;
    out[name] =
      typeof execute === "function"
        ? Object.assign(Object.create(Object.getPrototypeOf(tool)), tool, {
            execute: traced(name, tool, parent, session),
          })
        : tool;
  }
  return out;
}

function traced(name: string, tool: any, parent: () => SpanLike | undefined, session?: Session) {
  const execute: Function = tool.execute;
  return function (this: unknown, input: unknown, options?: { toolCallId?: string }) {
    const run = () => execute.apply(this, arguments);
    let span: Span | undefined;
    try {
      span = startSpan(session, "execute_tool " + name, {
        type: "tool",
        parent: parent(),
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": name,
          // semconv: "function" for app-executed tools, "extension" for provider-defined ones
          "gen_ai.tool.type": /^provider/.test(tool.type) ? "extension" : "function",
          "gen_ai.tool.description": tool.description,
          "gen_ai.tool.call.id": options?.toolCallId,
          "gen_ai.tool.call.arguments": input,
        },
      });
    } catch {}
    if (!span?.isRecording()) return run();
    const s = span;
    const ok = (value: unknown) => {
      s.setAttribute("gen_ai.tool.call.result", value);
      s.end();
    };
    const fail = (error: unknown): never => {
      s.setError(error);
      s.end();
      throw error;
    };
    let result: any;
    try {
      result = runInContext(s, run);
    } catch (error) {
      fail(error);
    }
    try {
      if (typeof result?.then === "function") return result.then((value: unknown) => (ok(value), value), fail);
      // streaming tools: the last yielded value is the output
      if (typeof result?.[Symbol.asyncIterator] === "function") return iterate(result, ok, fail);
      ok(result);
    } catch {}
    return result;
  };
}

async function* iterate(it: AsyncIterable<unknown>, ok: (v: unknown) => void, fail: (e: unknown) => never) {
  let last: unknown;
  try {
    for await (last of it) yield last;
  } catch (error) {
    fail(error);
  } finally {
    ok(last);
  }
}
