// A local stand-in for the OpenAI (chat completions, responses, embeddings, images), Anthropic (messages) and Gemini
// (generateContent, streamGenerateContent) HTTP APIs: real wire formats, JSON and SSE, with realistic usage blocks
// (cached input, reasoning / thinking, cache writes), tool calls and API errors. Node only.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeOptions {
  /** include usage in streams (OpenAI: the include_usage chunk; Anthropic always sends it). @default true */
  streamUsage?: boolean;
  /** model name in responses; defaults to the requested model */
  responseModel?: string;
  /** answer with a tool call when the request offers tools and the last message is the user's */
  toolCalls?: boolean;
  /** ms between SSE events. @default 0 */
  eventDelayMs?: number;
  /** answer every request with this status and an API error body */
  failStatus?: number;
  /** SSE streams fail after this many events: the connection is cut mid-stream */
  cutAfterEvents?: number;
}

export interface FakeRequest {
  path: string;
  body: any;
}

export interface FakeProvider {
  /** http://127.0.0.1:port (append "/v1" for baseURL) */
  url: string;
  options: FakeOptions;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export const TEXT = ["Hello", " from", " the", " fake", " provider."];
export const TOOL = { id: "call_1", name: "weather", arguments: '{"city":"Paris"}' };

/** Usage each API reports (numbers as real providers send them) */
export const OPENAI_USAGE = {
  prompt_tokens: 2006,
  completion_tokens: 300,
  total_tokens: 2306,
  prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};
export const RESPONSES_USAGE = {
  input_tokens: 2006,
  input_tokens_details: { cached_tokens: 1920 },
  output_tokens: 300,
  output_tokens_details: { reasoning_tokens: 192 },
  total_tokens: 2306,
};
export const GEMINI_USAGE = {
  promptTokenCount: 2006,
  cachedContentTokenCount: 1920,
  candidatesTokenCount: 108,
  thoughtsTokenCount: 192,
  totalTokenCount: 2306,
};
export const EMBEDDING_USAGE = { prompt_tokens: 8, total_tokens: 8 };
export const IMAGE_USAGE = { input_tokens: 10, output_tokens: 1056, total_tokens: 1066, input_tokens_details: { text_tokens: 10, image_tokens: 0 } };
/** Anthropic's thinking tokens, reported when the request enables thinking */
export const ANTHROPIC_THINKING = { type: "thinking", thinking: "Let me think.", signature: "sig_fake" };
export const ANTHROPIC_USAGE = {
  input_tokens: 21,
  cache_creation_input_tokens: 188,
  cache_read_input_tokens: 1800,
  output_tokens: 393,
};

const CREATED = 1_700_000_000;

function wantsTool(body: any, o: FakeOptions): boolean {
  const messages: any[] = body.messages ?? body.input ?? [];
  const last = messages.at(-1);
  // Anthropic returns tool results in a user message
  const answered = Array.isArray(last?.content) && last.content.some((c: any) => c.type === "tool_result");
  return !!o.toolCalls && Array.isArray(body.tools) && body.tools.length > 0 && last?.role === "user" && !answered;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>, o: FakeOptions, done?: string): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const [i, e] of events.entries()) {
    if (res.destroyed) return;
    if (o.cutAfterEvents !== undefined && i >= o.cutAfterEvents) return void res.destroy();
    res.write((e.event ? `event: ${e.event}\n` : "") + `data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`);
    if (o.eventDelayMs) await sleep(o.eventDelayMs);
  }
  if (done) res.write(`data: ${done}\n\n`);
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// ---- OpenAI chat completions ----
function chat(body: any, o: FakeOptions, res: ServerResponse): Promise<void> | void {
  const model = o.responseModel ?? body.model;
  const tool = wantsTool(body, o);
  const base = { id: "chatcmpl-fake1", created: CREATED, model, system_fingerprint: "fp_fake" };
  if (!body.stream) {
    const message = tool
      ? { role: "assistant", content: null, tool_calls: [{ id: TOOL.id, type: "function", function: { name: TOOL.name, arguments: TOOL.arguments } }] }
      : { role: "assistant", content: TEXT.join(""), refusal: null };
    return json(res, 200, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message, logprobs: null, finish_reason: tool ? "tool_calls" : "stop" }],
      usage: OPENAI_USAGE,
    });
  }
  const chunk = (delta: unknown, finish: string | null = null) => ({
    data: { ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
  });
  const events = [chunk({ role: "assistant", content: "" })];
  if (tool) {
    events.push(chunk({ tool_calls: [{ index: 0, id: TOOL.id, type: "function", function: { name: TOOL.name, arguments: "" } }] }));
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: TOOL.arguments } }] }));
  } else for (const t of TEXT) events.push(chunk({ content: t }));
  events.push(chunk({}, tool ? "tool_calls" : "stop"));
  if (o.streamUsage !== false && body.stream_options?.include_usage) {
    events.push({ data: { ...base, object: "chat.completion.chunk", choices: [], usage: OPENAI_USAGE } });
  }
  return sse(res, events, o, "[DONE]");
}

// ---- OpenAI responses ----
function responses(body: any, o: FakeOptions, res: ServerResponse): Promise<void> | void {
  const model = o.responseModel ?? body.model;
  const message = {
    type: "message",
    id: "msg_fake1",
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text: TEXT.join(""), annotations: [], logprobs: [] }],
  };
  const reasoning = { type: "reasoning", id: "rs_fake1", summary: [] };
  const response = {
    id: "resp_fake1",
    object: "response",
    created_at: CREATED,
    status: "completed",
    error: null,
    incomplete_details: null,
    model,
    output: [reasoning, message],
    usage: o.streamUsage === false && body.stream ? null : RESPONSES_USAGE,
    service_tier: "default",
  };
  if (!body.stream) return json(res, 200, response);
  const head = { id: response.id, object: "response", created_at: CREATED, status: "in_progress", model, output: [], usage: null };
  let seq = 0;
  const ev = (type: string, data: object) => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  const events = [
    ev("response.created", { response: head }),
    ev("response.in_progress", { response: head }),
    ev("response.output_item.added", { output_index: 0, item: { ...reasoning } }),
    ev("response.output_item.done", { output_index: 0, item: reasoning }),
    ev("response.output_item.added", { output_index: 1, item: { ...message, status: "in_progress", content: [] } }),
    ev("response.content_part.added", { item_id: message.id, output_index: 1, content_index: 0, part: { type: "output_text", text: "", annotations: [] } }),
    ...TEXT.map((delta) => ev("response.output_text.delta", { item_id: message.id, output_index: 1, content_index: 0, delta, logprobs: [] })),
    ev("response.output_text.done", { item_id: message.id, output_index: 1, content_index: 0, text: TEXT.join(""), logprobs: [] }),
    ev("response.output_item.done", { output_index: 1, item: message }),
    ev("response.completed", { response }),
  ];
  return sse(res, events, o);
}

// ---- Anthropic messages ----
function messages(body: any, o: FakeOptions, res: ServerResponse): Promise<void> | void {
  const model = o.responseModel ?? body.model;
  const tool = wantsTool(body, o);
  const stop = tool ? "tool_use" : "end_turn";
  const thinking = body.thinking?.type === "enabled";
  const content: any[] = tool
    ? [{ type: "tool_use", id: "toolu_fake1", name: TOOL.name, input: JSON.parse(TOOL.arguments) }]
    : [{ type: "text", text: TEXT.join("") }];
  if (thinking) content.unshift(ANTHROPIC_THINKING);
  const usage = thinking ? { ...ANTHROPIC_USAGE, output_tokens_details: { thinking_tokens: 120 } } : ANTHROPIC_USAGE;
  if (!body.stream) {
    return json(res, 200, { id: "msg_fake1", type: "message", role: "assistant", model, content, stop_reason: stop, stop_sequence: null, usage });
  }
  const { output_tokens, output_tokens_details, ...input } = usage as typeof usage & { output_tokens_details?: unknown };
  const ev = (type: string, data: object) => ({ event: type, data: { type, ...data } });
  const events = [
    ev("message_start", {
      message: { id: "msg_fake1", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...input, output_tokens: 1 } },
    }),
    ev("ping", {}),
  ];
  const at = thinking ? 1 : 0;
  if (thinking) {
    events.push(ev("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }));
    events.push(ev("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: ANTHROPIC_THINKING.thinking } }));
    events.push(ev("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: ANTHROPIC_THINKING.signature } }));
    events.push(ev("content_block_stop", { index: 0 }));
  }
  if (tool) {
    events.push(ev("content_block_start", { index: at, content_block: { type: "tool_use", id: "toolu_fake1", name: TOOL.name, input: {} } }));
    events.push(ev("content_block_delta", { index: at, delta: { type: "input_json_delta", partial_json: TOOL.arguments } }));
  } else {
    events.push(ev("content_block_start", { index: at, content_block: { type: "text", text: "" } }));
    for (const t of TEXT) events.push(ev("content_block_delta", { index: at, delta: { type: "text_delta", text: t } }));
  }
  events.push(ev("content_block_stop", { index: at }));
  events.push(ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens, ...(output_tokens_details ? { output_tokens_details } : {}) } }));
  events.push(ev("message_stop", {}));
  return sse(res, events, o);
}

// ---- OpenAI embeddings and images ----
function embeddings(body: any, res: ServerResponse): void {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  json(res, 200, {
    object: "list",
    data: inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding: [0.1, -0.2, 0.3] })),
    model: body.model,
    usage: EMBEDDING_USAGE,
  });
}

function images(body: any, res: ServerResponse): void {
  json(res, 200, { created: CREATED, data: [{ b64_json: "aGVsbG8gaW1hZ2U=" }], usage: IMAGE_USAGE, size: body.size ?? "1024x1024" });
}

// ---- Gemini generateContent / streamGenerateContent (both @google/genai and @google/generative-ai) ----
function gemini(model: string, stream: boolean, body: any, o: FakeOptions, res: ServerResponse): Promise<void> | void {
  const contents: any[] = body.contents ?? [];
  const last = contents.at(-1);
  const answered = last?.parts?.some((p: any) => p.functionResponse);
  const tool = !!o.toolCalls && (body.tools?.length ?? 0) > 0 && !answered;
  const base = { modelVersion: o.responseModel ?? model, responseId: "resp-gemini1" };
  const candidate = (parts: unknown[], finishReason?: string) => ({ content: { role: "model", parts }, index: 0, ...(finishReason ? { finishReason } : {}) });
  const finish = "STOP";
  if (!stream) {
    const parts = tool ? [{ functionCall: { name: TOOL.name, args: JSON.parse(TOOL.arguments) } }] : [{ text: TEXT.join("") }];
    return json(res, 200, { candidates: [candidate(parts, finish)], usageMetadata: GEMINI_USAGE, ...base });
  }
  const events = tool
    ? [{ data: { candidates: [candidate([{ functionCall: { name: TOOL.name, args: JSON.parse(TOOL.arguments) } }], finish)], usageMetadata: GEMINI_USAGE, ...base } }]
    : TEXT.map((text, i) => ({
        data: {
          candidates: [candidate([{ text }], i == TEXT.length - 1 ? finish : undefined)],
          ...(i == TEXT.length - 1 && o.streamUsage !== false ? { usageMetadata: GEMINI_USAGE } : {}),
          ...base,
        },
      }));
  return sse(res, events, o);
}

/** Starts the fake API on 127.0.0.1 and a random port; close() it in each test. */
export async function startFakeProvider(options: FakeOptions = {}): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const fake = { options } as FakeProvider;
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? "").split("?")[0]!;
      const body = await readBody(req);
      requests.push({ path, body });
      const o = fake.options;
      const g = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
      if (o.failStatus) {
        return path.endsWith("/messages")
          ? json(res, o.failStatus, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } })
          : g
            ? json(res, o.failStatus, { error: { code: o.failStatus, message: "Resource has been exhausted", status: "RESOURCE_EXHAUSTED" } })
            : json(res, o.failStatus, { error: { message: "Rate limit reached", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } });
      }
      if (g) return await gemini(g[1]!, g[2] === "streamGenerateContent", body, o, res);
      if (path === "/v1/embeddings") return embeddings(body, res);
      if (path === "/v1/images/generations") return images(body, res);
      if (path === "/v1/chat/completions") return await chat(body, o, res);
      if (path === "/v1/responses") return await responses(body, o, res);
      if (path === "/v1/messages") return await messages(body, o, res);
      json(res, 404, { error: { message: "not found: " + path } });
    } catch (error) {
      if (!res.headersSent) json(res, 500, { error: { message: String(error) } });
      else res.destroy();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.requests = requests;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}
