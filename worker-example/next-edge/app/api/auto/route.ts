// No flush() here: the SDK finds the request context's waitUntil (Symbol.for("@next/request-context") under
// `next start`, "@vercel/request-context" on Vercel) and registers one flush per request itself.
import fallom from "@fallom/trace";
import { streamText } from "ai";
import { initFallom } from "../../../lib/fallom";
import { mockModel } from "../../../lib/mock-model";

export const runtime = "edge";

export async function POST(req: Request): Promise<Response> {
  await initFallom();
  const { prompt, sessionId } = (await req.json()) as { prompt: string; sessionId?: string };
  const session = fallom.session({ sessionId, customerId: "next-edge-user" });
  const result = streamText({ model: session.traceModel(mockModel()), prompt });
  return result.toTextStreamResponse({ headers: { "x-edge-runtime": String((globalThis as any).EdgeRuntime) } });
}
