// A Hono app on Cloudflare Workers using @fallom/trace the way users do: one session per request (from headers),
// nested spans, and `c.executionCtx.waitUntil(fallom.flush())` so nothing is lost when the response returns.
// No nodejs_compat needed. Configure with vars/secrets: FALLOM_API_KEY, FALLOM_BASE_URL (e.g. the local collector).
import { Hono } from "hono";
import fallom from "@fallom/trace";

type Bindings = {
  FALLOM_API_KEY?: string;
  FALLOM_BASE_URL?: string;
};

const app = new Hono<{ Bindings: Bindings }>();

// init is idempotent: the first request of an isolate configures the SDK from the Worker's bindings
app.use("*", async (c, next) => {
  await fallom.init({ env: c.env, serviceName: "worker-example" });
  await next();
});

app.get("/", (c) => c.text("worker-example: POST /chat {\"message\": \"…\"} with x-session-id / x-user-id headers"));

// A tiny deterministic "knowledge base" and "model", so the example runs offline.
const DOCS = [
  "Paris is the capital of France.",
  "Workers run on V8 isolates at the edge.",
  "OpenTelemetry defines GenAI semantic conventions.",
];

function retrieve(query: string): string[] {
  const words = query.toLowerCase().split(/\W+/).filter((w) => w.length > 3);
  return DOCS.filter((d) => words.some((w) => d.toLowerCase().includes(w)));
}

// stand-in for the provider round trip
const latency = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

async function mockModel(prompt: string): Promise<{ text: string; input: number; output: number }> {
  await latency();
  const text = `echo: ${prompt}`;
  return { text, input: prompt.split(/\s+/).length, output: text.split(/\s+/).length };
}

app.post("/chat", async (c) => {
  const body = await c.req.json<{ message?: string }>().catch(() => ({}) as { message?: string });
  const message = typeof body.message === "string" ? body.message : "hello";
  const sessionId = c.req.header("x-session-id") ?? crypto.randomUUID();
  const session = fallom.session({
    sessionId,
    customerId: c.req.header("x-user-id"),
    configKey: "worker-example",
    tags: ["example"],
    metadata: { route: "/chat" },
  });

  const reply = await session.trace(
    "chat",
    async (span) => {
      span.setInput(message);
      const docs = await span.span(
        "retrieve",
        async (r) => {
          r.setInput(message);
          const found = retrieve(message);
          r.setOutput(found);
          return found;
        },
        { type: "retrieval" },
      );
      const answer = await span.span(
        "generate",
        async (llm) => {
          llm.setModel("mock-echo", "mock");
          const prompt = [...docs, message].join("\n");
          llm.setInput([{ role: "user", content: prompt }]);
          const out = await mockModel(prompt);
          llm.setTokens({ input: out.input, output: out.output });
          llm.setOutput(out.text);
          return out.text;
        },
        { type: "llm" },
      );
      span.setOutput(answer);
      return answer;
    },
    { type: "agent" },
  );

  // export after the response, within the Worker's waitUntil budget
  c.executionCtx.waitUntil(fallom.flush());
  return c.json({ reply, sessionId });
});

export default app;
