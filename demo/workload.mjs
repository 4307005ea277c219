// The demo's scripted traffic against the example Worker: 20 sessions, streamed and non-streamed turns, order
// questions that make the model call the lookupOrder tool, and one turn that hits a provider error.

const NAMES = ["Ada", "Grace", "Linus", "Barbara", "Alan", "Margaret", "Ken"];
const QUESTIONS = {
  order: (id) => `Where is my order ${id}?`,
  plan: () => "How do I change my plan?",
  fail: () => "Where is my refund? [fail]",
};

/** The turns of session i: [kind, streamed] pairs. */
function turnsOf(i) {
  if (i === 13) return [["fail", false]];
  switch (i % 4) {
    case 0: return [["order", true]];
    case 1: return [["plan", false]];
    case 2: return [["plan", true], ["order", false]];
    default: return [["order", false], ["plan", true]];
  }
}

export function script(sessions = 20) {
  const orders = ["A-17", "B-42", "C-7"];
  return Array.from({ length: sessions }, (_, i) => ({
    sessionId: `demo-session-${String(i + 1).padStart(2, "0")}`,
    customerId: `customer-${(i % 7) + 1}`,
    customerName: NAMES[i % NAMES.length],
    turns: turnsOf(i).map(([kind, stream]) => ({ kind, stream, message: QUESTIONS[kind](orders[i % orders.length]) })),
  }));
}

/** Reads a UI message stream (SSE) to the end: the text and the tool parts the client saw. */
async function readUiStream(res) {
  const text = await res.text();
  let answer = "";
  const tools = [];
  let error;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const part = JSON.parse(line.slice(6));
    if (part.type === "text-delta") answer += part.delta;
    else if (part.type === "tool-input-available") tools.push(part.toolName);
    else if (part.type === "error") error = part.errorText;
  }
  return { answer, tools, error };
}

/**
 * Runs every session (a few at a time, turns of one session in order) and reports what the client saw.
 * @param {string} exampleUrl
 * @param {{ sessions?: number, concurrency?: number, onProgress?: (done: number, total: number) => void }} [options]
 */
export async function runWorkload(exampleUrl, options = {}) {
  const sessions = script(options.sessions);
  const total = sessions.reduce((n, s) => n + s.turns.length, 0);
  const seen = { requests: 0, streamed: 0, nonStreamed: 0, toolCalls: 0, failed: 0, calls: [] };
  let done = 0;
  const runSession = async (s) => {
    for (const turn of s.turns) {
      const res = await fetch(`${exampleUrl}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-session-id": s.sessionId, "x-user-id": s.customerId },
        body: JSON.stringify({ message: turn.message, stream: turn.stream, customerName: s.customerName }),
      });
      seen.requests++;
      const model = res.headers.get("x-model");
      const prompt = res.headers.get("x-prompt");
      const call = { sessionId: s.sessionId, kind: turn.kind, stream: turn.stream, status: res.status, model, prompt, answer: "", tools: [] };
      if (turn.stream) {
        seen.streamed++;
        const r = await readUiStream(res);
        Object.assign(call, { answer: r.answer, tools: r.tools, error: r.error });
      } else {
        seen.nonStreamed++;
        const body = await res.json();
        Object.assign(call, { answer: body.text ?? "", error: body.error });
      }
      seen.toolCalls += call.tools.length;
      if (call.error || res.status !== 200) seen.failed++;
      seen.calls.push(call);
      options.onProgress?.(++done, total);
    }
  };
  const queue = [...sessions];
  const workers = Array.from({ length: options.concurrency ?? 4 }, async () => {
    while (queue.length) await runSession(queue.shift());
  });
  await Promise.all(workers);
  return { ...seen, sessions: sessions.length, total };
}

/** Polls the collector until it holds one trace per request and the span count stops changing. */
export async function waitForDelivery(collectorUrl, requests, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const s = await (await fetch(`${collectorUrl}/api/summary`)).json();
    if (s.traces >= requests && s.spans === last) return s;
    if (Date.now() > deadline) throw new Error(`demo: only ${s.traces} of ${requests} traces (${s.spans} spans) reached the collector in ${timeoutMs / 1000} s`);
    last = s.spans;
    await new Promise((r) => setTimeout(r, 250));
  }
}
